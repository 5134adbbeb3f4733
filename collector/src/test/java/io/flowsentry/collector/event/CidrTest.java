package io.flowsentry.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {
  @Test
  void bareAddressesAreHostRoutes() {
    assertEquals("192.168.9.43/32", Cidr.parse("192.168.9.43").toString());
    assertEquals("2001:db8::1/128", Cidr.parse("2001:db8::1").toString());
  }

  @Test
  void hostBitsAreCleared() {
    Cidr c = Cidr.parse("192.168.4.7/24");
    assertEquals("192.168.4.0/24", c.toString());
    assertEquals(IpAddr.parse("192.168.4.255"), c.last());
    assertEquals("fd00::/8", Cidr.parse("fdab:1::9/8").toString());
  }

  @Test
  void lastAddressOfIpv6BlocksAcrossTheHalves() {
    assertEquals(IpAddr.parse("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff"), Cidr.parse("2001:db8::/32").last());
    assertEquals(IpAddr.parse("2001:db8::ff:ffff:ffff"), Cidr.parse("2001:db8::/88").last());
    assertEquals(IpAddr.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), Cidr.parse("::/0").last());
    assertEquals(IpAddr.parse("255.255.255.255"), Cidr.parse("0.0.0.0/0").last());
  }

  @Test
  void containsRespectsFamily() {
    assertTrue(Cidr.parse("10.0.0.0/8").contains(IpAddr.parse("10.255.0.1")));
    assertFalse(Cidr.parse("10.0.0.0/8").contains(IpAddr.parse("::a00:1")));
    assertFalse(Cidr.parse("::/0").contains(IpAddr.parse("10.0.0.1")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0/8", "host.example",
      "10.0.0.0/8/8", "1.2.3.4/0x8", "10.0.0.256", "10.0.0.0/0008",
      // shapes the JDK would send to DNS instead of rejecting
      "g:1", ".:1", "localhost", "fe80::1%eth0", "[::1]"})
  void rejectsMalformed(String text) {
    assertThrows(IllegalArgumentException.class, () -> Cidr.parse(text));
  }

  @Test
  void tellsAddressesFromHostnames() {
    assertTrue(Cidr.looksLikeAddress("192.168.4.23"));
    assertTrue(Cidr.looksLikeAddress("10.0.0.0/8"));
    assertTrue(Cidr.looksLikeAddress("2001:db8::/32"));
    assertFalse(Cidr.looksLikeAddress("www.google.com"));
    assertFalse(Cidr.looksLikeAddress("3com.example"));
  }
}
