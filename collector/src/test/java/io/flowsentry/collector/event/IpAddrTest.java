package io.flowsentry.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IpAddrTest {

  @ParameterizedTest
  @ValueSource(strings = {"192.168.4.7", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::",
      "::1", "fe80::1:2:3:4", "2001:db8:0:1:1:1:1:1", "::ffff:10.0.0.1", "1::"})
  void printsWhatItParses(String text) {
    assertEquals(text, IpAddr.parse(text).toString());
  }

  @Test
  void printsRfc5952Form() {
    assertEquals("2001:db8::1:0:0:1", IpAddr.parse("2001:0db8:0000:0000:0001:0000:0000:0001").toString());
  }

  @Test
  void keepsFamily() {
    assertFalse(IpAddr.parse("10.1.2.3").v6());
    assertTrue(IpAddr.parse("::ffff:10.1.2.3").v6());
    assertEquals(IpAddr.parse("10.1.2.3"), IpAddr.of(IpAddr.parse("10.1.2.3").toBytes()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "example.com", "1.2.3", "1.2.3.4.5", "1.2.3.256", "XXXXXXXXXX", "-"})
  void rejectsNonLiterals(String text) {
    assertThrows(IllegalArgumentException.class, () -> IpAddr.parse(text));
  }
}
