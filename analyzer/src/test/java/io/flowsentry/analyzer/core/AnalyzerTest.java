package io.flowsentry.analyzer.core;

import static io.flowsentry.analyzer.core.TestEvents.tcp;
import static io.flowsentry.analyzer.core.TestEvents.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.analyzer.suppress.SuppressionJournal;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzerTest {
  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  static RestrictedOutgoingPolicyConfig policy(String name, String suppressFor, String style, String... restricted) {
    return new RestrictedOutgoingPolicyConfig(name, List.of(restricted), suppressFor, null, null, null, null, style, null, null, null);
  }

  static List<RestrictedOutgoingPolicy> compile(RestrictedOutgoingPolicyConfig... policies) {
    PoliciesConfig pc = new PoliciesConfig(List.of(policies));
    assertEquals(List.of(), pc.validate("policies"));
    return RestrictedOutgoingPolicy.compileAll(SiteConfig.defaults(), pc, name -> PrefixSet.empty());
  }

  private Analyzer analyzer(List<RestrictedOutgoingPolicy> policies, Path stateDir, MeterRegistry r) {
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir.resolve("log"), Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, r);
    return new Analyzer(policies, w, stateDir, r);
  }

  @Test
  void severalPoliciesEachAlarmAndSuppressOnTheirOwn() throws Exception {
    Analyzer a = analyzer(compile(
        policy("servers", "60s", null, "192.168.4.0/24"),
        policy("lab", "10s", "legacy", "192.168.4.7", "10.9.0.0/16")), null, registry);
    a.onEvent(udp(1000, "192.168.4.7", "203.0.113.9", 137));   // both
    a.onEvent(udp(1005, "192.168.4.7", "203.0.113.9", 137));   // both suppress
    a.onEvent(udp(1016, "192.168.4.7", "203.0.113.9", 137));   // lab: 11 s quiet -> alarm; servers suppress
    a.onEvent(tcp(1017, "10.9.1.1", "203.0.113.9", 22));       // lab only
    a.onEvent(tcp(1018, "192.168.4.8", "203.0.113.9", 22));    // servers only
    a.flush();
    ReplaySummary s = a.summary(3);
    assertEquals(5, s.events());
    assertEquals(Map.of("servers", 2L, "lab", 3L), s.alarms());
    assertEquals(Map.of("servers", 2L, "lab", 1L), s.suppressed());
    assertEquals(3, s.badLines());
    assertEquals(5, Files.readAllLines(dir.resolve("log/alarms.log")).size());
    assertEquals(List.of(
        "1000.000000 UnexpectedOutgoingUDPConnection 192.168.4.7/49152 > 203.0.113.9/netbios-ns : Restricted Outgoing UDP Connection",
        "1016.000000 UnexpectedOutgoingUDPConnection 192.168.4.7/49152 > 203.0.113.9/netbios-ns : Restricted Outgoing UDP Connection",
        "1017.000000 UnexpectedOutgoingTCPConnection 10.9.1.1/49152 > 203.0.113.9/ssh : Restricted Outgoing TCP Connection"),
        Files.readAllLines(dir.resolve("log/lab.log")));
    String text = registry.scrape();
    assertTrue(text.contains("flowsentry_events_total{source=\"zeek\"} 5.0"), text);
    assertTrue(text.contains("flowsentry_events_total{source=\"netflow9\"} 0.0"), text);
    assertTrue(text.contains("flowsentry_alarms_total{mode=\"enforce\",note=\"UnexpectedOutgoingConnection\",policy=\"servers\"} 2.0"), text);
    assertTrue(text.contains("flowsentry_alarms_total{mode=\"enforce\",note=\"UnexpectedOutgoingTCPConnection\",policy=\"lab\"} 1.0"), text);
    assertTrue(text.contains("flowsentry_suppressed_total{policy=\"servers\"} 2.0"), text);
    assertTrue(text.contains("flowsentry_suppression_entries{policy=\"lab\"} 2.0"), text);
    assertTrue(s.format().contains("  lab: 3 alarms, 1 suppressed\n"), s.format());
    a.close();
  }

  @Test
  void reloadKeepsSuppressionOfPoliciesThatStay() throws Exception {
    Analyzer a = analyzer(compile(policy("keep", "60s", null, "192.168.4.0/24"), policy("drop", "60s", null, "192.168.4.0/24")),
        null, registry);
    a.onEvent(udp(1000, "192.168.4.7", "203.0.113.9", 53));
    a.update(compile(policy("keep", "120s", null, "192.168.4.0/24"), policy("new", "60s", null, "192.168.4.0/24")));
    a.onEvent(udp(1100, "192.168.4.7", "203.0.113.9", 53));   // keep: 100 s < 120 s -> suppressed; new: alarm
    a.flush();
    assertEquals(Map.of("keep", 1L, "new", 1L), a.summary(0).alarms());
    assertEquals(1L, a.summary(0).suppressed().get("keep"));
    assertThrows(MeterNotFoundException.class, () -> registry.get("flowsentry.suppression.entries").tag("policy", "drop").gauge());
    a.close();
  }

  @Test
  void snapshotSurvivesARestart() throws Exception {
    Path state = dir.resolve("state");
    Analyzer a = analyzer(compile(policy("p", "60s", null, "192.168.4.0/24")), state, registry);
    a.onEvent(udp(1000, "192.168.4.7", "203.0.113.9", 53));
    a.onEvent(udp(1001, "192.168.4.7", "203.0.113.10", 53));
    a.close();
    Analyzer b = analyzer(compile(policy("p", "60s", null, "192.168.4.0/24")), state, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    assertEquals(1_001_000_000L, b.eventClockMicros());
    b.onEvent(udp(1059, "192.168.4.7", "203.0.113.9", 53));   // 59 s: still quiet after the restart
    b.onEvent(udp(1062, "192.168.4.7", "203.0.113.10", 53));  // 61 s: alarms
    b.flush();
    assertEquals(1L, b.summary(0).alarms().get("p"));
    assertEquals(1L, b.summary(0).suppressed().get("p"));
    b.close();
    assertEquals(3, Files.readAllLines(dir.resolve("log/alarms.log")).size());
  }

  /** As the daemon builds it: the writer journals alarm keys into the state directory. */
  private Analyzer journaling(Path state, MeterRegistry r) {
    AlarmWriter w = new AlarmWriter(OutputsConfig.defaults(), dir.resolve("log"), state.resolve(SuppressionJournal.FILE_NAME),
        Clock.systemUTC(), AlarmWriter.Overflow.BLOCK, r);
    return new Analyzer(compile(policy("p", "60s", null, "192.168.4.0/24")), w, state, r);
  }

  @Test
  void killedAfterASnapshotTheEventsReadAgainRaiseNoAlarm() throws Exception {
    Path state = dir.resolve("state");
    Analyzer a = journaling(state, registry);
    a.onEvent(udp(1000, "192.168.4.7", "203.0.113.9", 53));
    a.persist(); // the periodic save (before a tail checkpoint): snapshot holds .9
    a.onEvent(udp(1000.5, "192.168.4.7", "203.0.113.10", 53)); // alarm written, only journaled
    a.flush();
    a.onEvent(udp(1000.7, "192.168.4.7", "203.0.113.11", 53));
    a.persist();
    a.onEvent(udp(1000.9, "192.168.4.7", "203.0.113.12", 53));
    a.flush();
    // kill -9 now: no close(); the source reads again everything after its checkpoint, all four events
    Analyzer b = journaling(state, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    for (int host = 9; host <= 12; host++) b.onEvent(udp(1000 + (host - 9) * 0.3, "192.168.4.7", "203.0.113." + host, 53));
    b.flush();
    assertEquals(0L, b.summary(0).alarms().get("p"), "every key is in the snapshot or the journal");
    assertEquals(4L, b.summary(0).suppressed().get("p"));
    b.close();
    assertEquals(4, Files.readAllLines(dir.resolve("log/alarms.log")).size());
    assertFalse(Files.exists(state.resolve(SuppressionJournal.FILE_NAME)), "a clean stop leaves it all in the snapshot");
  }

  @Test
  void theJournalKeepsOnlyWhatCameAfterTheLastSnapshot() throws Exception {
    Path state = dir.resolve("state");
    Analyzer a = journaling(state, registry);
    for (int i = 0; i < 100; i++) a.onEvent(udp(1000 + i * 0.01, "192.168.4.7", "203.0.113." + i, 53));
    a.persist();
    a.onEvent(udp(1002, "192.168.4.7", "198.51.100.1", 53));
    a.flush();
    List<String> journal = Files.readAllLines(state.resolve(SuppressionJournal.FILE_NAME));
    assertEquals(List.of("p\t192.168.4.7\t198.51.100.1\t53\t17\t1002000000"), journal);
    a.close();
  }

  @Test
  void anAlarmStormIsCappedPerPolicyAndSummarizedWithEveryAlarmCounted() throws Exception {
    RestrictedOutgoingPolicyConfig capped = new RestrictedOutgoingPolicyConfig("storm", List.of("192.168.4.0/24"), "60s",
        null, null, null, null, null, 100L, null, null);
    Analyzer a = analyzer(RestrictedOutgoingPolicy.compileAll(SiteConfig.defaults(),
        new PoliciesConfig(List.of(capped)), name -> PrefixSet.empty()), dir.resolve("state"), registry);
    // 5 000 distinct keys in the minute from 1 020 s, then the storm ends and events go on
    for (int i = 0; i < 5_000; i++) {
      a.onEvent(tcp(1020 + i * 0.01, "192.168.4.7", "2001:db8::" + Integer.toHexString(i), 443));
    }
    a.onEvent(tcp(1020.5, "192.168.4.7", "2001:db8::1", 443)); // suppressed: its key was summarized, not forgotten
    a.persist(); // the minute is not over: no summary yet
    a.flush();
    assertEquals(100, Files.readAllLines(dir.resolve("log/alarms.log")).size());
    a.onEvent(udp(1081, "192.168.5.1", "203.0.113.1", 53)); // not restricted: only the event clock moves on
    a.onEvent(tcp(1081, "192.168.4.7", "203.0.113.77", 443)); // a new minute: written again
    a.persist();
    a.flush();
    List<String> lines = Files.readAllLines(dir.resolve("log/storm.log"));
    assertEquals(102, lines.size());
    assertEquals("1080.000000 AlarmsSummarized 4900 more alarms for policy storm in the last minute (max_alarms_per_minute: 100)",
        lines.stream().filter(l -> l.contains("AlarmsSummarized")).findFirst().orElseThrow());
    assertTrue(Files.readString(dir.resolve("log/notice.log")).contains(
        "\"note\":\"RestrictedOutgoing::Alarms_Summarized\",\"msg\":\"4900 more alarms for policy storm in the last minute\""));
    String text = registry.scrape();
    assertTrue(text.contains("flowsentry_alarms_summarized_total{policy=\"storm\"} 4900.0"), text);
    assertTrue(text.contains("flowsentry_alarms_total{mode=\"enforce\",note=\"UnexpectedOutgoingConnection\",policy=\"storm\"} 101.0"), text);
    assertEquals(1L, a.summary(0).suppressed().get("storm"));
    a.close();
  }

  @Test
  void summariesStillPendingAreWrittenAtStop() throws Exception {
    RestrictedOutgoingPolicyConfig capped = new RestrictedOutgoingPolicyConfig("storm", List.of("192.168.4.0/24"), "60s",
        null, null, null, null, null, 1L, null, null);
    Analyzer a = analyzer(RestrictedOutgoingPolicy.compileAll(SiteConfig.defaults(),
        new PoliciesConfig(List.of(capped)), name -> PrefixSet.empty()), null, registry);
    for (int i = 0; i < 3; i++) a.onEvent(tcp(1000 + i, "192.168.4.7", "203.0.113." + i, 443));
    a.close();
    List<String> lines = Files.readAllLines(dir.resolve("log/alarms.log"));
    assertEquals(2, lines.size());
    assertTrue(lines.get(1).endsWith(" AlarmsSummarized 2 more alarms for policy storm in the last minute (max_alarms_per_minute: 1)"),
        lines.get(1));
  }

  @Test
  void concurrentSourcesRaiseOneAlarmPerKey() throws Exception {
    Analyzer a = analyzer(compile(policy("p", "60s", null, "192.168.4.0/24")), null, registry);
    int threads = 4, perThread = 5_000;
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      int id = t;
      workers[t] = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < perThread; i++) {
          a.onEvent(udp(1000 + i * 0.001, "192.168.4.7", "203.0.113." + (i % 10), 53));
          a.onEvent(udp(1000 + i * 0.001, "192.168.4." + (10 + id), "203.0.113.1", 53));
        }
      });
    }
    for (Thread w : workers) w.join();
    a.flush();
    // 10 keys shared by all threads plus one key per thread, each alarmed exactly once
    assertEquals(Map.of("p", 10L + threads), a.summary(0).alarms());
    assertEquals(2L * threads * perThread - 10 - threads, a.summary(0).suppressed().get("p"));
    a.close();
  }

  @Test
  void eventsAreCountedPerSource() throws Exception {
    Analyzer a = analyzer(List.of(), null, registry);
    a.onEvent(tcp(1, "192.168.4.7", "203.0.113.9", 80).toBuilder().source(EventSource.IPFIX).build());
    a.onEvent(tcp(2, "192.168.4.7", "203.0.113.9", 80));
    assertEquals(1.0, registry.get("flowsentry.events").tag("source", "ipfix").functionCounter().count());
    assertEquals(2, a.summary(0).events());
    a.close();
  }

  @Test
  void wantsOnlyFlowsTouchingARestrictedNetworkAndCountsTheSkippedOnes() throws Exception {
    Analyzer a = analyzer(compile(policy("servers", "60s", null, "192.168.4.0/24"), policy("lab", "10s", null, "2001:db8::/32")),
        null, registry);
    IpAddr server = IpAddr.parse("192.168.4.7"), lab = IpAddr.parse("2001:db8::1");
    IpAddr outside = IpAddr.parse("203.0.113.9"), otherLocal = IpAddr.parse("192.168.5.1");
    // either side may be decided the originator later, so either side inside makes the flow wanted
    assertTrue(a.wants(server, outside));
    assertTrue(a.wants(outside, server));
    assertTrue(a.wants(lab, IpAddr.parse("2001:db9::1")));
    assertFalse(a.wants(otherLocal, outside));
    assertFalse(a.wants(IpAddr.parse("2001:db9::1"), outside));

    a.onSkipped(EventSource.NETFLOW5, 30, 2_000_000_000L);
    a.onSkipped(EventSource.NETFLOW5, 5, 1_000_000_000L); // older: the clock never goes back
    assertEquals(35.0, registry.get("flowsentry.events").tag("source", "netflow5").functionCounter().count());
    assertEquals(35, a.summary(0).events());
    assertEquals(2_000_000_000L, a.eventClockMicros());

    // the wanted set follows a reload
    a.update(compile(policy("servers", "60s", null, "192.168.5.0/24")));
    assertTrue(a.wants(otherLocal, outside));
    assertFalse(a.wants(server, outside));
    a.close();
  }
}
