package io.flowsentry.analyzer.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PortSpecTest {
  @Test
  void singlePort() {
    PortSpec p = PortSpec.parse("25/tcp");
    assertTrue(p.matches(ConnectionEvent.TCP, 25));
    assertFalse(p.matches(ConnectionEvent.UDP, 25));
    assertFalse(p.matches(ConnectionEvent.TCP, 26));
    assertEquals("25/tcp", p.toString());
  }

  @Test
  void rangeIsInclusive() {
    PortSpec p = PortSpec.parse("1024-2048/udp");
    assertFalse(p.matches(ConnectionEvent.UDP, 1023));
    assertTrue(p.matches(ConnectionEvent.UDP, 1024));
    assertTrue(p.matches(ConnectionEvent.UDP, 2048));
    assertFalse(p.matches(ConnectionEvent.UDP, 2049));
    assertEquals("1024-2048/udp", p.toString());
  }

  @Test
  void bareProtocols() {
    assertTrue(PortSpec.parse("tcp").matches(ConnectionEvent.TCP, 0));
    assertTrue(PortSpec.parse("udp").matches(ConnectionEvent.UDP, 65535));
    assertFalse(PortSpec.parse("udp").matches(ConnectionEvent.TCP, 53));
    PortSpec icmp = PortSpec.parse("icmp");
    assertTrue(icmp.matches(ConnectionEvent.ICMP, 0));
    assertTrue(icmp.matches(ConnectionEvent.ICMPV6, 0), "bare icmp covers ICMPv6 as Zeek's icmp transport does");
    assertFalse(icmp.matches(ConnectionEvent.UDP, 0));
    assertEquals("icmp", icmp.toString());
  }

  @Test
  void caseAndSpaceTolerated() {
    assertEquals(PortSpec.parse("53/udp"), PortSpec.parse(" 53/UDP "));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "25", "25/", "/tcp", "25/sctp", "65536/tcp", "2048-1024/udp", "1-2-3/tcp",
      "-5/tcp", "x/tcp", "25/tcp/udp", "000025/tcp", "ip"})
  void rejects(String text) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSpec.parse(text));
    assertTrue(e.getMessage().contains("25/tcp") || e.getMessage().contains("port range"), e.getMessage());
  }
}
