package io.flowsentry.analyzer.passivedns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class PassiveDnsTableTest {
  private static final long T0 = 1_700_000_000_000_000L;
  private static final long SECOND = 1_000_000L;
  private static final IpAddr HOST = IpAddr.parse("192.168.4.7");
  private static final IpAddr OTHER_HOST = IpAddr.parse("192.168.4.8");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  /** min_ttl 10s, max_ttl 1h, grace 5s. */
  private PassiveDnsTable table() {
    return new PassiveDnsTable(new PassiveDnsConfig("10s", "1h", "5s", null, null), registry);
  }

  private static DnsAnswers answer(long ts, IpAddr client, String name, String address, long ttlSeconds) {
    return new DnsAnswers(ts, client, name, List.of(new DnsAnswers.Resolved(IpAddr.parse(address), ttlSeconds * SECOND)));
  }

  private double count(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).counter().count();
  }

  @Test
  void theOriginatorsOwnNameWithinTtlAndGraceElseAnotherClientsElseNone() {
    PassiveDnsTable t = table();
    IpAddr cdn = IpAddr.parse("203.0.113.9");
    t.learn(answer(T0, OTHER_HOST, "other.example.com", "203.0.113.9", 300));
    t.learn(answer(T0 + SECOND, HOST, "updates.example.com", "203.0.113.9", 60));
    assertEquals("updates.example.com", t.nameFor(HOST, cdn, T0 + 2 * SECOND));
    assertEquals("updates.example.com", t.nameFor(HOST, cdn, T0 + 66 * SECOND), "TTL 60s + grace 5s after the query");
    assertEquals("updates.example.com", t.nameFor(IpAddr.parse("192.168.4.9"), cdn, T0 + 2 * SECOND),
        "the newest name any client resolved, when the originator's own query was not seen");
    assertEquals("other.example.com", t.nameFor(OTHER_HOST, cdn, T0 + 100 * SECOND), "its own, still valid");
    assertNull(t.nameFor(HOST, cdn, T0 + 67 * SECOND), "own name expired; the site-wide one is the same, expired");
    assertNull(t.nameFor(HOST, cdn, T0 - 10 * SECOND), "a connection long before the query did not come from it");
    assertNull(t.nameFor(HOST, IpAddr.parse("198.51.100.1"), T0));
    assertEquals(4, count("flowsentry.passive.dns.lookups", "result", "originator") + count("flowsentry.passive.dns.lookups", "result", "site"));
    assertEquals(3, count("flowsentry.passive.dns.lookups", "result", "miss"));
    assertEquals(2, registry.get("flowsentry.passive.dns.answers").counter().count());
  }

  @Test
  void ttlsAreClampedToTheConfiguredBounds() {
    PassiveDnsTable t = table();
    t.learn(answer(T0, HOST, "short.example", "192.0.2.1", 0));
    t.learn(answer(T0, HOST, "long.example", "192.0.2.2", 7 * 86400));
    t.learn(new DnsAnswers(T0, HOST, "unknown.example", List.of(new DnsAnswers.Resolved(IpAddr.parse("192.0.2.3"), -1))));
    assertEquals("short.example", t.nameFor(HOST, IpAddr.parse("192.0.2.1"), T0 + 15 * SECOND), "min_ttl 10s + grace");
    assertNull(t.nameFor(HOST, IpAddr.parse("192.0.2.1"), T0 + 16 * SECOND));
    assertEquals("long.example", t.nameFor(HOST, IpAddr.parse("192.0.2.2"), T0 + 3605 * SECOND), "max_ttl 1h + grace");
    assertNull(t.nameFor(HOST, IpAddr.parse("192.0.2.2"), T0 + 3606 * SECOND));
    assertEquals("unknown.example", t.nameFor(HOST, IpAddr.parse("192.0.2.3"), T0 + 15 * SECOND), "no TTL: min_ttl");
  }

  @Test
  void aCdnNameRotatingItsAddressesAllowsExactlyWhatTheHostResolvedWithinTtlAndGrace() {
    PassiveDnsTable t = table();
    // another host resolved 198.51.100.200 from the same name: not the restricted host's own answer
    t.learn(answer(T0, OTHER_HOST, "updates.example.com", "198.51.100.200", 300));
    Predicate names = n -> n.equals("updates.example.com");
    // updates.example.com answers a different edge address every 30 s with TTL 20 s; the
    // host's connections follow each answer, in event time as they would live
    for (int i = 0; i < 10; i++) {
      IpAddr edge = IpAddr.parse("198.51.100." + (i + 1));
      long asked = T0 + i * 30 * SECOND;
      t.learn(answer(asked, HOST, "updates.example.com", edge.toString(), 20));
      assertTrue(t.resolvedFrom(HOST, edge, asked + SECOND, names), "just after its answer: " + edge);
      assertTrue(t.resolvedFrom(HOST, edge, asked + 25 * SECOND, names), "TTL + grace: " + edge);
      assertFalse(t.resolvedFrom(HOST, edge, asked + 26 * SECOND, names), "after TTL + grace: " + edge);
      assertFalse(t.resolvedFrom(HOST, edge, asked + SECOND, n -> n.equals("other.example.com")), "another name");
      if (i > 0) {
        IpAddr previous = IpAddr.parse("198.51.100." + i);
        assertFalse(t.resolvedFrom(HOST, previous, asked + SECOND, names), "the previous edge, expired: " + previous);
      }
      assertFalse(t.resolvedFrom(HOST, IpAddr.parse("198.51.100.200"), asked + SECOND, names), "another host's answer");
      assertFalse(t.resolvedFrom(HOST, IpAddr.parse("198.51.100.99"), asked + SECOND, names), "never answered");
    }
  }

  /** java.util.function.Predicate over names, shortened for the table above. */
  private interface Predicate extends java.util.function.Predicate<String> {}

  @Test
  void aPairKeepsItsNewestNamesOnly() {
    PassiveDnsTable t = table();
    for (int i = 0; i < 6; i++) t.learn(answer(T0 + i * SECOND, HOST, "n" + i + ".example", "192.0.2.1", 300));
    IpAddr a = IpAddr.parse("192.0.2.1");
    assertEquals("n5.example", t.nameFor(HOST, a, T0 + 10 * SECOND));
    for (int i = 2; i < 6; i++) assertTrue(t.resolvedFrom(HOST, a, T0 + 10 * SECOND, ("n" + i + ".example")::equals));
    assertFalse(t.resolvedFrom(HOST, a, T0 + 10 * SECOND, "n1.example"::equals), "only the 4 newest");
    t.learn(answer(T0 + 20 * SECOND, HOST, "n3.example", "192.0.2.1", 300));
    assertEquals("n3.example", t.nameFor(HOST, a, T0 + 21 * SECOND), "learned again: newest");
    assertEquals(1, t.size());
  }

  @Test
  void expiredPairsAreDroppedAsLearningGoesOn() {
    PassiveDnsTable t = table();
    for (int i = 0; i < 100; i++) t.learn(answer(T0, HOST, "old.example", "192.0.2." + i, 10));
    // an hour later every old pair is long expired; each new answer drops a few
    for (int i = 0; i < 100; i++) t.learn(answer(T0 + 3600 * SECOND + i, HOST, "new.example", "198.51.100." + i, 10));
    assertEquals(100, t.size());
    assertEquals(100, count("flowsentry.passive.dns.evictions", "reason", "expired"));
    assertEquals(0, count("flowsentry.passive.dns.evictions", "reason", "size"));
  }

  @Test
  void aFloodOfUniqueAnswersStaysWithinTheEntryAndMemoryBounds() {
    long bound = 8L << 20;
    PassiveDnsTable t = new PassiveDnsTable(new PassiveDnsConfig("1h", "1d", "5m", 1_000_000, "8MB"), registry);
    long before = usedHeapAfterGc();
    // 400 000 unique client/address/name answers in one hour of event time: nothing expires
    for (int i = 0; i < 400_000; i++) {
      IpAddr client = IpAddr.ofV4(0x0A000000 | (i & 0xFFFF));
      t.learn(new DnsAnswers(T0 + i * 9_000L, client, "host-" + i + ".cdn-" + (i % 977) + ".example.net",
          List.of(new DnsAnswers.Resolved(IpAddr.ofV4(0xCB000000 | i), 3600 * SECOND))));
      assertTrue(t.estimatedBytes() <= bound, "estimate over the bound after answer " + i);
    }
    long retained = usedHeapAfterGc() - before;
    assertTrue(t.size() > 10_000 && t.size() < 400_000, "filled to the bound, not beyond: " + t.size());
    assertTrue(count("flowsentry.passive.dns.evictions", "reason", "size") > 0);
    // the estimate is meant to be high: what the JVM really keeps stays below the bound
    assertTrue(retained < bound, "retained " + retained + " bytes for " + t.size() + " pairs, bound " + bound);
    assertEquals(t.estimatedBytes(), registry.get("flowsentry.passive.dns.memory").gauge().value());
    System.out.printf("passive DNS flood: %d pairs, estimated %d bytes, measured %d bytes, bound %d%n",
        t.size(), t.estimatedBytes(), retained, bound);
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
