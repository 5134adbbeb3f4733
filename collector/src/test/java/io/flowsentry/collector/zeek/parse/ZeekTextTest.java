package io.flowsentry.collector.zeek.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flowsentry.collector.event.IpAddr;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZeekTextTest {
  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "255.255.255.255", "141.142.220.118", "::", "::1", "1::", "fe80::1:2:3:4",
      "2001:db8:0:1:1:1:1:1", "::ffff:10.0.0.1", "1234::e", "5678::", "fc00:0:2:100::1:1", "ff02::1:2",
      "2a00:6020:ad0b:8381:fd70:e2f9:f031:9dc4", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "64:ff9b::192.0.2.33",
      "1:2:3:4:5:6:1.2.3.4", "2001:DB8::A"})
  void addressesAsIpAddrReadsThem(String text) {
    assertEquals(IpAddr.parse(text), ZeekText.address(b(text), 0, text.length()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-", "1.2.3", "1.2.3.4.5", "1.2.3.256", "01234.1.1.1", ":", ":::", "1:::2", "1::2::3",
      "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::", "1:", ":1", "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", "1::2:",
      "fe80::1%eth0", "XXXXXXXXXX"})
  void notAddresses(String text) {
    assertNull(ZeekText.address(b(text), 0, text.length()));
  }

  @ParameterizedTest
  @CsvSource({"1300475167.096535,1300475167096535", "0.000317,317", "12,12000000", "1.5,1500000",
      "1.1234567,1123456", "1e-06,1", "1.3e9,1300000000000000", "2.5E+1,25000000", "0.0,0",
      "1.,-9223372036854775808", ".5,-9223372036854775808", "1e,-9223372036854775808", "-1.0,-9223372036854775808",
      "99999999999999.0,-9223372036854775808", "1.0x,-9223372036854775808"})
  void microsFromSeconds(String text, long micros) {
    assertEquals(micros, ZeekText.micros(b(text), 0, text.length()));
  }

  @ParameterizedTest
  @CsvSource({"C\\x09x\\\\y,C\tx\\y", "plain,plain", "\\x2c,','", "\\x,\\x", "\\xzz,\\xzz", "caf\\xc3\\xa9,café"})
  void unescapesLikeZeeksAsciiWriter(String escaped, String text) {
    assertEquals(text, ZeekText.unescape(b(escaped), 0, b(escaped).length));
  }
}
