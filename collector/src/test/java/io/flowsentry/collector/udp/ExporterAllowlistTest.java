package io.flowsentry.collector.udp;

import io.flowsentry.collector.event.Cidr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExporterAllowlistTest {
  private static boolean allows(ExporterAllowlist list, String address) throws Exception {
    return list.allows(InetAddress.getByName(address));
  }

  @Test
  void emptyAllowsEveryone() throws Exception {
    ExporterAllowlist any = ExporterAllowlist.parse(List.of());
    assertTrue(any.allowsAny());
    assertTrue(allows(any, "203.0.113.9"));
    assertTrue(allows(any, "2001:db8::1"));
  }

  @Test
  void prefixesOfEveryLengthMatchAtTheirBoundary() throws Exception {
    ExporterAllowlist list = ExporterAllowlist.parse(List.of("10.0.0.0/8", "192.0.2.7", "198.51.100.128/25", "2001:db8::/32", "fe80::1/128", "2001:db8:ffff:0:8000::/65"));
    assertTrue(allows(list, "10.255.255.255"));
    assertFalse(allows(list, "11.0.0.0"));
    assertTrue(allows(list, "192.0.2.7"));
    assertFalse(allows(list, "192.0.2.6"));
    assertTrue(allows(list, "198.51.100.128"));
    assertFalse(allows(list, "198.51.100.127"));
    assertTrue(allows(list, "2001:db8:1234::1"));
    assertFalse(allows(list, "2001:db9::"));
    assertTrue(allows(list, "fe80::1"));
    assertFalse(allows(list, "fe80::2"));
    assertTrue(allows(list, "::ffff:10.0.0.1")); // Java folds IPv4-mapped senders to IPv4
  }

  @Test
  void ipv4MappedSendersOfADualStackSocketMatchIpv4Entries() throws Exception {
    ExporterAllowlist list = ExporterAllowlist.parse(List.of("10.0.0.0/8"));
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 10, 1, 2, 3};
    assertTrue(list.allows(java.net.Inet6Address.getByAddress(null, mapped, -1)));
    mapped[12] = 11;
    assertFalse(list.allows(java.net.Inet6Address.getByAddress(null, mapped, -1)));
  }

  @Test
  void hostBitsBelowThePrefixAreIgnored() {
    assertEquals("10.0.0.0/8", Cidr.parse("10.1.2.3/8").toString());
    assertEquals("2001:db8::/32", Cidr.parse("2001:db8:1::/32").toString());
    assertEquals("0.0.0.0/0", Cidr.parse("192.0.2.1/0").toString());
  }

  @Test
  void ipv6PrefixAcrossTheHalfBoundary() throws Exception {
    ExporterAllowlist list = ExporterAllowlist.parse(List.of("2001:db8:ffff:0:8000::/65"));
    assertTrue(allows(list, "2001:db8:ffff:0:ffff::1"));
    assertFalse(allows(list, "2001:db8:ffff:0:7fff::1"));
    assertFalse(allows(list, "10.0.0.1"));
  }
}
