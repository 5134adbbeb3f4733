package io.flowsentry.analyzer.policy;

import static io.flowsentry.analyzer.core.TestEvents.event;
import static io.flowsentry.analyzer.core.TestEvents.tcp;
import static io.flowsentry.analyzer.core.TestEvents.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.resolve.HostTracker;
import io.flowsentry.collector.event.ConnectionEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestrictedOutgoingPolicyTest {
  private static final SiteConfig SITE = new SiteConfig(List.of("192.168.0.0/16", "10.0.0.0/8", "fd00::/8"), null, null, null);
  private final Map<String, PrefixSet> dns = new HashMap<>();
  // the table is read at every lookup, like the resolver's published snapshot
  private final HostTracker hosts = name -> a -> dns.getOrDefault(name, PrefixSet.empty()).contains(a);

  private RestrictedOutgoingPolicy policy(String yamlish, List<AllowedService> services, List<AllowedPair> pairs,
      List<String> destinations) {
    RestrictedOutgoingPolicyConfig c = new RestrictedOutgoingPolicyConfig("p", List.of(yamlish.split(",")), null,
        null, destinations, services, pairs, null, null, null, null);
    assertEquals(List.of(), c.validate("p"));
    return RestrictedOutgoingPolicy.compile(c, SITE.localNetworkSet(), hosts);
  }

  private RestrictedOutgoingPolicy plain() {
    return policy("192.168.4.0/24,10.0.0.0/8,192.168.9.43/32,fd00:4::/64", List.of(), List.of(), List.of());
  }

  @Test
  void restrictedOriginatorToTheInternetAlarms() {
    assertTrue(plain().alarms(udp(1, "192.168.4.7", "203.0.113.9", 137)));
    assertTrue(plain().alarms(tcp(1, "192.168.9.43", "198.51.100.1", 443)));
    assertTrue(plain().alarms(tcp(1, "10.200.1.1", "8.8.8.8", 53)));
  }

  @Test
  void unrestrictedOriginatorDoesNot() {
    assertFalse(plain().alarms(tcp(1, "192.168.5.7", "203.0.113.9", 80)));
    assertFalse(plain().alarms(tcp(1, "192.168.9.44", "203.0.113.9", 80)));
    assertFalse(plain().alarms(tcp(1, "203.0.113.9", "192.168.4.7", 80)), "incoming is not outgoing");
  }

  @Test
  void localResponderDoesNot() {
    assertFalse(plain().alarms(tcp(1, "192.168.4.7", "192.168.5.1", 445)));
    assertFalse(plain().alarms(tcp(1, "192.168.4.7", "10.1.1.1", 445)));
  }

  @Test
  void ipv6() {
    RestrictedOutgoingPolicy p = plain();
    assertTrue(p.alarms(tcp(1, "fd00:4::7", "2001:db8::1", 443)));
    assertFalse(p.alarms(tcp(1, "fd00:4::7", "fd00:9::1", 443)), "fd00::/8 is local");
    assertFalse(p.alarms(tcp(1, "fd00:5::7", "2001:db8::1", 443)), "not in fd00:4::/64");
  }

  @Test
  void icmpAlarmsLikeAnythingElse() {
    assertTrue(plain().alarms(event(1, "192.168.4.7", 8, "203.0.113.9", 0, ConnectionEvent.ICMP)));
    assertTrue(plain().alarms(event(1, "fd00:4::7", 128, "2001:db8::1", 0, ConnectionEvent.ICMPV6)));
  }

  @Test
  void allowedDestinations() {
    RestrictedOutgoingPolicy p = policy("192.168.4.0/24", List.of(), List.of(), List.of("72.246.0.0/15", "2001:db8:a::/48"));
    assertFalse(p.alarms(tcp(1, "192.168.4.7", "72.247.255.255", 80)));
    assertTrue(p.alarms(tcp(1, "192.168.4.7", "72.248.0.0", 80)));
    assertFalse(p.alarms(tcp(1, "192.168.4.7", "2001:db8:a::80", 80)));
  }

  @Test
  void allowedServicesNeedNetworkAndPortAndProtocol() {
    RestrictedOutgoingPolicy p = policy("192.168.4.0/24,10.0.0.0/8", List.of(
        new AllowedService("192.168.4.7/32", "25/tcp"),
        new AllowedService("192.168.4.8/32", "80/tcp"),
        new AllowedService("192.168.4.9", "53/udp"),
        new AllowedService("10.0.0.0/8", "123/udp"),
        new AllowedService("192.168.4.10", "1024-2048/udp"),
        new AllowedService("192.168.4.11", "icmp")), List.of(), List.of());
    assertFalse(p.alarms(tcp(1, "192.168.4.7", "203.0.113.25", 25)));
    assertTrue(p.alarms(tcp(1, "192.168.4.7", "203.0.113.25", 80)), "the SMTP server is not the web proxy");
    assertTrue(p.alarms(udp(1, "192.168.4.7", "203.0.113.25", 25)), "25/udp is not 25/tcp");
    assertFalse(p.alarms(tcp(1, "192.168.4.8", "203.0.113.80", 80)));
    assertFalse(p.alarms(udp(1, "192.168.4.9", "8.8.8.8", 53)));
    assertTrue(p.alarms(tcp(1, "192.168.4.9", "8.8.8.8", 53)));
    assertFalse(p.alarms(udp(1, "10.9.9.9", "203.0.113.123", 123)));
    assertFalse(p.alarms(udp(1, "192.168.4.10", "203.0.113.1", 2048)));
    assertTrue(p.alarms(udp(1, "192.168.4.10", "203.0.113.1", 2049)));
    assertFalse(p.alarms(event(1, "192.168.4.11", 8, "203.0.113.1", 0, ConnectionEvent.ICMP)));
    assertTrue(p.alarms(event(1, "192.168.4.12", 8, "203.0.113.1", 0, ConnectionEvent.ICMP)));
  }

  @Test
  void allowedPairsWithAddressesAndCidrs() {
    RestrictedOutgoingPolicy p = policy("192.168.4.0/24", List.of(), List.of(
        new AllowedPair("192.168.4.23", "203.0.113.0/28"),
        new AllowedPair("192.168.4.0/28", "2001:db8::5")), List.of());
    assertFalse(p.alarms(tcp(1, "192.168.4.23", "203.0.113.15", 443)));
    assertTrue(p.alarms(tcp(1, "192.168.4.23", "203.0.113.16", 443)));
    assertTrue(p.alarms(tcp(1, "192.168.4.24", "203.0.113.15", 443)), "pairs bind both sides");
    assertFalse(p.alarms(tcp(1, "192.168.4.1", "2001:db8::5", 443)));
  }

  @Test
  void allowedPairsWithHostnamesFollowTheirAddresses() {
    RestrictedOutgoingPolicy p = policy("192.168.4.0/24", List.of(), List.of(
        new AllowedPair("myhost.myorg.org", "www.google.com"),
        new AllowedPair("192.168.4.23", "www.business-partner.com")), List.of());
    assertTrue(p.alarms(tcp(1, "192.168.4.23", "198.51.100.7", 443)), "not resolved yet: nothing allowed");
    dns.put("www.business-partner.com", PrefixSet.parse(List.of("198.51.100.7", "2001:db8::7")));
    dns.put("myhost.myorg.org", PrefixSet.parse(List.of("192.168.4.50")));
    dns.put("www.google.com", PrefixSet.parse(List.of("142.250.0.1")));
    assertFalse(p.alarms(tcp(1, "192.168.4.23", "198.51.100.7", 443)));
    assertTrue(p.alarms(tcp(1, "192.168.4.24", "198.51.100.7", 443)));
    assertFalse(p.alarms(tcp(1, "192.168.4.50", "142.250.0.1", 443)));
    assertTrue(p.alarms(tcp(1, "192.168.4.50", "198.51.100.7", 443)));
  }

  @Test
  void noteStyles() {
    assertEquals("UnexpectedOutgoingConnection", NoteStyle.ZEEK.alarmName(ConnectionEvent.UDP));
    assertEquals("RestrictedOutgoing::Unexpected_Outgoing_Connection", NoteStyle.ZEEK.noticeNote(ConnectionEvent.TCP));
    assertEquals("UnexpectedOutgoingTCPConnection", NoteStyle.LEGACY.alarmName(ConnectionEvent.TCP));
    assertEquals("UnexpectedOutgoingUDPConnection", NoteStyle.LEGACY.alarmName(ConnectionEvent.UDP));
    assertEquals("UnexpectedOutgoingICMPConnection", NoteStyle.LEGACY.alarmName(ConnectionEvent.ICMPV6));
    assertEquals("RestrictedOutgoing::UnexpectedOutgoingICMPConnection", NoteStyle.LEGACY.noticeNote(ConnectionEvent.ICMP));
  }
}
