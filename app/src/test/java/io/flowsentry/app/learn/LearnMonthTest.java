package io.flowsentry.app.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.ServiceNames;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.analyzer.learn.AlarmLineParser;
import io.flowsentry.analyzer.learn.AlarmLineParser.AlarmLine;
import io.flowsentry.analyzer.learn.LearnSettings;
import io.flowsentry.analyzer.learn.Proposal;
import io.flowsentry.analyzer.learn.ProposalText;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.collector.loadgen.LearnTraffic;
import io.flowsentry.collector.zeek.ZeekLogReader;
import io.flowsentry.collector.zeek.replay.ZeekReplay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated month of conn.log with planted regular services and one-off violations: learn
 * proposes every planted service and nothing that covers a violation, and replaying the same
 * month with the proposal pasted into the policy leaves exactly the violations as alarms.
 */
class LearnMonthTest {
  private static final String POLICY = """
      policies:
        restricted_outgoing:
          - name: servers
            restricted_networks: [192.168.4.0/24]
            suppress_for: 60s
      %s
      outputs:
        log_dir: %s
      """;

  @TempDir Path dir;
  private Path connLog;
  private LearnTraffic traffic;

  @BeforeEach
  void generate() throws Exception {
    traffic = new LearnTraffic(40_000, 30, 18, 12);
    connLog = dir.resolve("conn.log");
    traffic.write(connLog);
  }

  private FlowsentryConfig config(String exceptions, Path logDir) throws Exception {
    String indented = exceptions.lines().map(l -> "      " + l).collect(Collectors.joining("\n"));
    return ConfigLoader.parse(POLICY.formatted(indented, logDir).replace("\n\n", "\n"), "learn-test.yml");
  }

  private static Set<String> entries(Proposal p) {
    return p.entries().stream().map(e -> e.list() + " " + e.yaml()).collect(Collectors.toSet());
  }

  @Test
  void theProposalHoldsEveryPlantedServiceAndReplayLeavesExactlyTheViolations() throws Exception {
    FlowsentryConfig base = config("", dir.resolve("unused"));
    List<Proposal> proposals = new LearnRun(base, LearnSettings.DEFAULTS, Clock.systemUTC()).run(List.of(connLog));
    Proposal p = proposals.getFirst();
    assertEquals(Set.of(
        "allowed_destinations " + LearnTraffic.NTP_POOL,
        "allowed_destinations " + LearnTraffic.CDN,
        "allowed_services { network: " + LearnTraffic.RELAY + "/32, port: 25/tcp }",
        "allowed_pairs { source: " + LearnTraffic.PARTNER_CLIENT + ", destination: " + LearnTraffic.PARTNER_API + " }"),
        entries(p), ProposalText.render(proposals, LearnSettings.DEFAULTS));
    assertEquals(traffic.violations().size(), p.oneOffs().size(), "each violation is its own one-off");
    assertEquals(p.alarms(), p.removed() + traffic.violations().size());
    for (int i = 1; i < p.entries().size(); i++) {
      assertTrue(p.entries().get(i - 1).removes() >= p.entries().get(i).removes(), "ranked by alarms removed");
    }

    Path logDir = dir.resolve("with-proposal");
    FlowsentryConfig applied = config(ProposalText.lists(p), logDir);
    assertEquals(violations(), replay(applied, logDir));
  }

  @Test
  void aNamedCdnIsProposedAsItsNameAndReplayWithTheDnsLogLeavesExactlyTheViolations() throws Exception {
    LearnTraffic named = new LearnTraffic(40_000, 30, 18, 12, true);
    Path conn = dir.resolve("named-conn.log"), dns = dir.resolve("dns.log");
    named.write(conn, dns);
    FlowsentryConfig base = config("", dir.resolve("unused"));
    List<Proposal> proposals = new LearnRun(base, LearnSettings.DEFAULTS, Clock.systemUTC()).run(List.of(conn, dns));
    Proposal p = proposals.getFirst();
    String report = ProposalText.render(proposals, LearnSettings.DEFAULTS);
    // one name entry, not an allowed_destinations entry for each of the six /24s it answered from
    assertEquals(Set.of(
        "allowed_domains " + LearnTraffic.CDN_NAME,
        "allowed_destinations " + LearnTraffic.NTP_POOL,
        "allowed_destinations " + LearnTraffic.CDN,
        "allowed_services { network: " + LearnTraffic.RELAY + "/32, port: 25/tcp }",
        "allowed_pairs { source: " + LearnTraffic.PARTNER_CLIENT + ", destination: " + LearnTraffic.PARTNER_API + " }"),
        entries(p), report);
    assertEquals(named.violations().size(), p.oneOffs().size(), "each violation is its own one-off, the named one too");
    assertEquals(13, named.violations().size());
    assertTrue(p.oneOffs().stream().anyMatch(o -> LearnTraffic.NAMED_ONE_OFF.equals(o.group().name())), report);
    assertTrue(report.contains("(" + LearnTraffic.NAMED_ONE_OFF + ")"), "the report names the one-off's name\n" + report);
    assertEquals(p.alarms(), p.removed() + named.violations().size());

    Path logDir = dir.resolve("named-with-proposal");
    FlowsentryConfig applied = config(ProposalText.lists(p), logDir);
    assertEquals(violations(named), replay(applied, logDir, conn, dns));
  }

  @Test
  void withoutTheDnsLogTheNamedCdnIsItsNetworks() throws Exception {
    LearnTraffic named = new LearnTraffic(40_000, 30, 18, 12, true);
    Path conn = dir.resolve("named-conn.log"), dns = dir.resolve("dns.log");
    named.write(conn, dns);
    Proposal p = new LearnRun(config("", dir.resolve("unused")), LearnSettings.DEFAULTS, Clock.systemUTC()).run(List.of(conn)).getFirst();
    Set<String> e = entries(p);
    for (int net = 40; net <= 45; net++) assertTrue(e.contains("allowed_destinations 146.75." + net + ".0/24"), e.toString());
    assertTrue(p.entries().stream().noneMatch(x -> x.list().equals("allowed_domains")), e.toString());
  }

  @Test
  void learningFromTheAlarmLogProposesTheSame() throws Exception {
    Path logDir = dir.resolve("before");
    FlowsentryConfig base = config("", logDir);
    replay(base, logDir); // writes servers.log: what a shadow policy's log would hold
    Proposal fromConn = new LearnRun(base, LearnSettings.DEFAULTS, Clock.systemUTC()).run(List.of(connLog)).getFirst();
    LearnRun fromLog = new LearnRun(base, LearnSettings.DEFAULTS, Clock.systemUTC());
    Proposal p = fromLog.run(List.of(logDir.resolve("servers.log"))).getFirst();
    assertEquals(entries(fromConn), entries(p));
    assertEquals(traffic.violations().size(), p.oneOffs().size());
    assertEquals(0, fromLog.read().alarmLogs().getFirst().badLines());
  }

  @Test
  void theGroupBoundCountsWhatFindsNoRoom() throws Exception {
    FlowsentryConfig base = config("", dir.resolve("unused"));
    LearnSettings tight = new LearnSettings(3, 3, 50, 24, 48);
    Proposal p = new LearnRun(base, tight, Clock.systemUTC()).run(List.of(connLog)).getFirst();
    assertTrue(p.overflow() > 0, "more groups than 50");
    long grouped = p.removed() + p.oneOffs().stream().mapToLong(Proposal.OneOff::connections).sum();
    assertEquals(p.alarms(), grouped + p.overflow(), "every would-be alarm is grouped or counted");
  }

  private Set<String> violations() {
    return violations(traffic);
  }

  private static Set<String> violations(LearnTraffic traffic) {
    Set<String> out = new HashSet<>();
    for (LearnTraffic.Violation v : traffic.violations()) out.add(v.orig() + " " + v.resp() + " " + v.port());
    return out;
  }

  /** The real analyzer over the month; the alarms of servers.log as "orig resp port". */
  private Set<String> replay(FlowsentryConfig c, Path logDir) throws Exception {
    return replay(c, logDir, connLog, null);
  }

  /** The same, with the dns.log (if any) read alongside in event time, as {@code replay} does. */
  private Set<String> replay(FlowsentryConfig c, Path logDir, Path conn, Path dns) throws Exception {
    AnalysisEngine engine = new AnalysisEngine(c.site(), c.policies(), c.outputs(), null, AlarmWriter.Overflow.BLOCK,
        Clock.systemUTC(), new SimpleMeterRegistry());
    try {
      if (dns == null) new ZeekLogReader(engine, false, Clock.systemUTC()).read(conn);
      else new ZeekReplay(engine, engine.passiveDns()::learn, false, Clock.systemUTC()).read(List.of(conn), List.of(dns), i -> { });
    } finally {
      engine.close();
    }
    AlarmLineParser parser = new AlarmLineParser(ServiceNames.bundled());
    Set<String> alarms = new HashSet<>();
    Path log = logDir.resolve("servers.log");
    if (!Files.exists(log)) return alarms;
    for (String line : Files.readAllLines(log)) {
      if (parser.parse(line) instanceof AlarmLine a) alarms.add(a.orig() + " " + a.resp() + " " + a.respP());
    }
    return alarms;
  }
}
