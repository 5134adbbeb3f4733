package io.flowsentry.analyzer.resolve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.core.MutableClock;
import io.flowsentry.analyzer.resolve.LoopbackDnsServer.Answer;
import io.flowsentry.collector.event.IpAddr;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real DNS server on loopback whose answers change; time is a hand-moved clock. */
class DnsHostResolverTest {
  private LoopbackDnsServer server;
  private DnsHostResolver resolver;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void start() throws Exception {
    server = new LoopbackDnsServer();
    resolver = new DnsHostResolver(new ResolverConfig(List.of(server.serverSpec()), "30s", "1h", "10m", "2s"), clock, registry);
  }

  @AfterEach
  void stop() throws Exception {
    resolver.close();
    server.close();
  }

  private static IpAddr ip(String s) {
    return IpAddr.parse(s);
  }

  private double failures() {
    return registry.get("flowsentry.dns.failures").counter().count();
  }

  @Test
  void resolvesAllAAndAaaaRecords() {
    server.answer("www.business-partner.com", new Answer("198.51.100.7", 300), new Answer("198.51.100.8", 300),
        new Answer("2001:db8::7", 300));
    ResolvedHost h = resolver.track("WWW.Business-Partner.com.");
    assertFalse(h.contains(ip("198.51.100.7")), "nothing before the first lookup");
    assertEquals(1, resolver.refreshDue());
    assertTrue(h.contains(ip("198.51.100.7")));
    assertTrue(h.contains(ip("198.51.100.8")));
    assertTrue(h.contains(ip("2001:db8::7")));
    assertFalse(h.contains(ip("198.51.100.9")));
    assertEquals(0, resolver.refreshDue(), "not due again before its TTL");
  }

  @Test
  void reResolvesOnTheTtlClampedToMinAndMax() {
    Instant t0 = clock.instant();
    server.answer("short.example", new Answer("198.51.100.1", 5));
    server.answer("long.example", new Answer("198.51.100.2", 86_400));
    server.answer("mid.example", new Answer("198.51.100.3", 120), new Answer("2001:db8::3", 90));
    ResolvedHost shortTtl = resolver.track("short.example");
    ResolvedHost longTtl = resolver.track("long.example");
    ResolvedHost mid = resolver.track("mid.example");
    assertEquals(3, resolver.refreshDue());
    assertEquals(t0.plusSeconds(30), shortTtl.nextRefresh(), "TTL 5 s is raised to min_ttl 30 s");
    assertEquals(t0.plusSeconds(3600), longTtl.nextRefresh(), "TTL one day is lowered to max_ttl 1 h");
    assertEquals(t0.plusSeconds(90), mid.nextRefresh(), "the shortest TTL of the answers");
    clock.advance(Duration.ofSeconds(29));
    int asked = server.queries();
    assertEquals(0, resolver.refreshDue());
    assertEquals(asked, server.queries(), "nothing sent before a name is due");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, resolver.refreshDue());
    assertEquals(asked + 2, server.queries(), "one A and one AAAA question");
    server.answer("short.example", new Answer("198.51.100.1", 45));
    clock.advance(Duration.ofSeconds(30));
    assertEquals(1, resolver.refreshDue());
    assertEquals(t0.plusSeconds(60 + 45), shortTtl.nextRefresh(), "the new answer's TTL applies");
  }

  @Test
  void keepsRotatedAddressesForTheKeepSeenWindow() {
    server.answer("cdn.example", new Answer("198.51.100.1", 60));
    ResolvedHost h = resolver.track("cdn.example");
    resolver.refreshDue();
    server.answer("cdn.example", new Answer("198.51.100.2", 60));
    clock.advance(Duration.ofSeconds(60));
    resolver.refreshDue();
    assertTrue(h.contains(ip("198.51.100.1")), "seen 60 s ago, within keep_seen_for 10 m");
    assertTrue(h.contains(ip("198.51.100.2")));
    for (int i = 0; i < 9; i++) {
      clock.advance(Duration.ofSeconds(60));
      resolver.refreshDue();
    }
    assertTrue(h.contains(ip("198.51.100.1")), "last seen exactly 10 m ago");
    clock.advance(Duration.ofSeconds(60));
    resolver.refreshDue();
    assertFalse(h.contains(ip("198.51.100.1")), "not answered for more than 10 m");
    assertTrue(h.contains(ip("198.51.100.2")));
  }

  @Test
  void failedLookupKeepsTheLastAddressesAndCounts() {
    server.answer("partner.example", new Answer("198.51.100.7", 30));
    ResolvedHost h = resolver.track("partner.example");
    resolver.refreshDue();
    server.failing(true);
    for (int i = 1; i <= 3; i++) {
      clock.advance(Duration.ofSeconds(30));
      assertEquals(1, resolver.refreshDue());
      assertEquals(i, failures());
      assertTrue(h.contains(ip("198.51.100.7")), "kept after failure " + i);
    }
    clock.advance(Duration.ofHours(2));
    resolver.refreshDue();
    assertTrue(h.contains(ip("198.51.100.7")), "failures never age addresses out");
    server.failing(false);
    server.answer("partner.example", new Answer("198.51.100.9", 30));
    clock.advance(Duration.ofSeconds(30));
    resolver.refreshDue();
    assertTrue(h.contains(ip("198.51.100.9")));
    assertFalse(h.contains(ip("198.51.100.7")), "a success applies keep_seen_for again");
  }

  @Test
  void unknownNameIsAFailureWithNothingAllowed() {
    ResolvedHost h = resolver.track("nowhere.example");
    resolver.refreshDue();
    assertEquals(1, failures());
    assertTrue(h.addresses().isEmpty());
  }

  @Test
  void trackingIsSharedAndCanBeRetained() {
    assertTrue(resolver.track("a.example") == resolver.track("A.EXAMPLE."));
    resolver.track("b.example");
    resolver.retainOnly(Set.of("b.example"));
    server.answer("b.example", new Answer("198.51.100.1", 60));
    assertEquals(1, resolver.refreshDue());
  }

  @Test
  void backgroundRefresherResolvesWithoutBeingAsked() throws Exception {
    server.answer("bg.example", new Answer("198.51.100.5", 60));
    ResolvedHost h = resolver.track("bg.example");
    resolver.start();
    // bounded wait for the background thread's first tick; semantics are tested above with the fake clock
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!h.contains(ip("198.51.100.5")) && System.nanoTime() < deadline) Thread.sleep(20);
    assertTrue(h.contains(ip("198.51.100.5")));
  }
}
