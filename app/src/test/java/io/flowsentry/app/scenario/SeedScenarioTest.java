package io.flowsentry.app.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.flowsentry.analyzer.core.Analyzer;
import io.flowsentry.analyzer.core.ReplaySummary;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.analyzer.resolve.LoopbackDnsServer;
import io.flowsentry.analyzer.resolve.LoopbackDnsServer.Answer;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.flowsentry.app.cli.FlowsentryCommand;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnLogJson;
import java.nio.file.Files;
import picocli.CommandLine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's example configuration (restricted-outgoing-blog-2008.txt) applied to a small
 * conn.log-shaped event list. The expected alarm lines were written by hand from the seed's
 * rules, not produced by the code under test; the comment on each event says why.
 */
class SeedScenarioTest {
  private static final long T = 1_225_743_661_858_791L; // the seed's alarm timestamp, in microseconds

  @TempDir Path dir;

  record Root(SiteConfig site, PoliciesConfig policies, OutputsConfig outputs) {}

  private static ConnectionEvent conn(double offsetSeconds, String orig, int origP, String resp, int respP, int proto) {
    return ConnectionEvent.builder().tsMicros(T + Math.round(offsetSeconds * 1_000_000))
        .origH(orig).origP(origP).respH(resp).respP(respP).proto(proto)
        .directionConfidence(DirectionConfidence.EXPORTER).source(EventSource.ZEEK).exporter("conn.log").build();
  }

  private static final int TCP = ConnectionEvent.TCP, UDP = ConnectionEvent.UDP, ICMP = ConnectionEvent.ICMP;

  private static final List<ConnectionEvent> EVENTS = List.of(
      conn(0, "192.168.4.7", 137, "203.0.113.9", 137, UDP),          // restricted subnet to the Internet: alarm
      conn(1, "192.168.4.7", 137, "203.0.113.9", 137, UDP),          // same connection: suppressed
      conn(2, "192.168.4.7", 51000, "203.0.113.25", 25, TCP),        // [192.168.4.7/32, 25/tcp] SMTP server
      conn(3, "192.168.4.7", 51001, "203.0.113.80", 80, TCP),        // the SMTP server may not browse: alarm
      conn(4, "192.168.4.8", 51002, "203.0.113.80", 80, TCP),        // [192.168.4.8/32, 80/tcp] web proxy
      conn(5, "192.168.4.9", 53000, "198.51.100.53", 53, UDP),       // [192.168.4.9/32, 53/udp] DNS server
      conn(6, "192.168.4.9", 53001, "198.51.100.53", 53, TCP),       // 53/tcp is not 53/udp: alarm
      conn(7, "10.1.2.3", 123, "198.51.100.123", 123, UDP),          // [10.0.0.0/8, 123/udp] NTP
      conn(8, "10.1.2.3", 40000, "72.246.1.1", 80, TCP),             // allowed_outgoing_dsts 72.246.0.0/15 (Akamai)
      conn(9, "192.168.9.43", 40001, "72.248.0.1", 443, TCP),        // individual host, just outside the /15: alarm
      conn(10, "192.168.9.44", 40002, "203.0.113.9", 443, TCP),      // not a restricted host
      conn(11, "192.168.4.23", 40003, "198.51.100.77", 443, TCP),    // [192.168.4.23, www.business-partner.com]
      conn(12, "192.168.4.24", 40004, "198.51.100.77", 443, TCP),    // the pair is for .23 only: alarm
      conn(13, "192.168.4.50", 40005, "142.250.1.1", 443, TCP),      // [myhost.myorg.org, www.google.com] (A)
      conn(14, "192.168.4.50", 40006, "2001:db8:1::1", 443, TCP),    // same pair, www.google.com's AAAA
      conn(15, "192.168.4.50", 40007, "198.51.100.77", 443, TCP),    // myhost to the partner: alarm
      conn(16, "192.168.4.7", 40008, "192.168.5.5", 445, TCP),       // responder is local
      conn(17, "192.168.4.7", 8, "203.0.113.9", 0, ICMP),            // ICMP counts too (new_connection): alarm
      conn(30, "192.168.4.7", 137, "203.0.113.9", 137, UDP),         // 29 s after the last sighting: suppressed, timer reset
      conn(89, "192.168.4.7", 137, "203.0.113.9", 137, UDP),         // 59 s after the reset: suppressed
      conn(150, "192.168.4.7", 137, "203.0.113.9", 137, UDP),        // 61 s of quiet: alarm again
      conn(151, "192.168.4.24", 40009, "198.51.100.77", 443, TCP),   // 139 s after its alarm: alarm again
      conn(100, "192.168.4.24", 40010, "198.51.100.77", 443, TCP));  // late event, touched at the clock (151 s): suppressed

  private static final List<String> EXPECTED_ZEEK_STYLE = List.of(
      "1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns : Restricted Outgoing UDP Connection",
      "1225743664.858791 UnexpectedOutgoingConnection 192.168.4.7/51001 > 203.0.113.80/http : Restricted Outgoing TCP Connection",
      "1225743667.858791 UnexpectedOutgoingConnection 192.168.4.9/53001 > 198.51.100.53/domain : Restricted Outgoing TCP Connection",
      "1225743670.858791 UnexpectedOutgoingConnection 192.168.9.43/40001 > 72.248.0.1/https : Restricted Outgoing TCP Connection",
      "1225743673.858791 UnexpectedOutgoingConnection 192.168.4.24/40004 > 198.51.100.77/https : Restricted Outgoing TCP Connection",
      "1225743676.858791 UnexpectedOutgoingConnection 192.168.4.50/40007 > 198.51.100.77/https : Restricted Outgoing TCP Connection",
      "1225743678.858791 UnexpectedOutgoingConnection 192.168.4.7/8 > 203.0.113.9/0 : Restricted Outgoing ICMP Connection",
      "1225743811.858791 UnexpectedOutgoingConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns : Restricted Outgoing UDP Connection",
      "1225743812.858791 UnexpectedOutgoingConnection 192.168.4.24/40009 > 198.51.100.77/https : Restricted Outgoing TCP Connection");

  /** The seed's hostnames, answered by a DNS server on loopback. */
  private static LoopbackDnsServer seedDns() throws Exception {
    LoopbackDnsServer dns = new LoopbackDnsServer();
    dns.answer("myhost.myorg.org", new Answer("192.168.4.50", 300));
    dns.answer("www.google.com", new Answer("142.250.1.1", 300), new Answer("2001:db8:1::1", 300));
    dns.answer("www.business-partner.com", new Answer("198.51.100.77", 300));
    return dns;
  }

  /** The seed's example configuration, in today's terms. */
  private static String seedYaml(LoopbackDnsServer dns, String noteStyle, Path logDir) {
    return """
        site:
          local_networks: [192.168.0.0/16, 10.0.0.0/8, fd00::/8]
          dns: { servers: ["%s"] }
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24, 10.0.0.0/8, 192.168.9.43/32]
              suppress_for: 60s
              note_style: %s
              allowed_destinations: [72.246.0.0/15]
              allowed_services:
                - { network: 192.168.4.7/32, port: 25/tcp }
                - { network: 192.168.4.8/32, port: 80/tcp }
                - { network: 192.168.4.9/32, port: 53/udp }
                - { network: 10.0.0.0/8, port: 123/udp }
              allowed_pairs:
                - { source: myhost.myorg.org, destination: www.google.com }
                - { source: 192.168.4.23, destination: www.business-partner.com }
        outputs:
          log_dir: %s
        """.formatted(dns.serverSpec(), noteStyle, logDir);
  }

  private List<String> run(String noteStyle) throws Exception {
    try (LoopbackDnsServer dns = seedDns()) {
      Root root = new ObjectMapper(new YAMLFactory()).readValue(seedYaml(dns, noteStyle, dir.resolve(noteStyle)), Root.class);
      assertEquals(List.of(), root.site().validate("site"));
      assertEquals(List.of(), root.policies().validate("policies"));
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (DnsHostResolver resolver = new DnsHostResolver(root.site().dns(), Clock.systemUTC(), registry)) {
        List<RestrictedOutgoingPolicy> policies = RestrictedOutgoingPolicy.compileAll(root.site(), root.policies(), resolver);
        assertEquals(3, resolver.refreshDue(), "three hostnames resolved before events flow");
        AlarmWriter writer = new AlarmWriter(root.outputs(), Path.of(root.outputs().logDir()), Clock.systemUTC(),
            AlarmWriter.Overflow.BLOCK, registry);
        Analyzer analyzer = new Analyzer(policies, writer, null, registry);
        EVENTS.forEach(analyzer::onEvent);
        analyzer.close();
        ReplaySummary s = analyzer.summary(0);
        assertEquals(EVENTS.size(), s.events());
        assertEquals(Map.of("restricted-outgoing", 9L), s.alarms());
        assertEquals(Map.of("restricted-outgoing", 4L), s.suppressed());
      }
      Path logs = dir.resolve(noteStyle);
      List<String> alarms = Files.readAllLines(logs.resolve("alarms.log"));
      assertEquals(alarms, Files.readAllLines(logs.resolve("restricted-outgoing.log")), "the seed's per-policy file");
      assertEquals(alarms.size(), Files.readAllLines(logs.resolve("notice.log")).size());
      return alarms;
    }
  }

  /**
   * The same scenario as an operator runs it: the events written as a Zeek JSON conn.log, the
   * seed's configuration in a file, and {@code flowsentry replay} — the same hand-written alarms.
   */
  @Test
  void replayOfTheSeedConnLogGivesTheHandWrittenAlarms() throws Exception {
    try (LoopbackDnsServer dns = seedDns()) {
      Path connLog = dir.resolve("conn.log");
      Files.write(connLog, EVENTS.stream().map(e -> ConnLogJson.toJson(e, false, CommunityId.DEFAULT_SEED)).toList());
      Path config = dir.resolve("seed.yml");
      Files.writeString(config, seedYaml(dns, "zeek", dir.resolve("replay")));
      int code = new CommandLine(new FlowsentryCommand()).execute("replay", "-c", config.toString(),
          "--log-dir", dir.resolve("replay").toString(), connLog.toString());
      assertEquals(0, code);
      assertEquals(EXPECTED_ZEEK_STYLE, Files.readAllLines(dir.resolve("replay/alarms.log")));
    }
  }

  @Test
  void seedConfigurationGivesTheHandWrittenAlarms() throws Exception {
    assertEquals(EXPECTED_ZEEK_STYLE, run("zeek"));
  }

  @Test
  void legacyNoteNamesAsThe2008Script() throws Exception {
    List<String> lines = run("legacy");
    // the seed's own example line, with x.x.x.x and y.y.y.y filled in
    assertEquals("1225743661.858791 UnexpectedOutgoingUDPConnection 192.168.4.7/netbios-ns > 203.0.113.9/netbios-ns"
        + " : Restricted Outgoing UDP Connection", lines.get(0));
    assertEquals(EXPECTED_ZEEK_STYLE.stream().map(l -> l
        .replace("UnexpectedOutgoingConnection", "UnexpectedOutgoing" + l.replaceAll(".* Restricted Outgoing (\\w+) Connection", "$1") + "Connection"))
        .toList(), lines);
  }
}
