package io.flowsentry.app.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.testing.SharedTestData;
import io.flowsentry.collector.zeek.ZeekTestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code flowsentry replay} with a capture's dns.log among the files: the outcome 2
 * offline. A real Zeek dns.log (its baseline from Zeek's tests, timestamps unmasked) with a
 * conn.log built on its answers names each alarm's responder as the originator resolved it; a
 * CDN name answering with a new address every two minutes allows exactly the addresses the host
 * resolved, within TTL + grace, and every other connection alarms.
 */
class ReplayDnsLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long BASE_SECONDS = 1_700_000_000L;
  private static final String CONN_HEADER = """
      #separator \\x09
      #set_separator\t,
      #empty_field\t(empty)
      #unset_field\t-
      #path\tconn
      #fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto
      #types\ttime\tstring\taddr\tport\taddr\tport\tenum
      """;
  private static final String DNS_HEADER = ZeekTestData.DNS_HEADER;

  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private Run replay(Path config, Path... files) {
    List<String> args = new ArrayList<>(List.of("-c", config.toString(), "--log-dir", dir.resolve("log").toString()));
    for (Path f : files) args.add(f.toString());
    CommandLine cli = new CommandLine(new ReplayCommand());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private static String conn(long seconds, String uid, String orig, String resp, int port) {
    return seconds + ".000000\t" + uid + "\t" + orig + "\t40000\t" + resp + "\t" + port + "\ttcp\n";
  }

  /** notice.log by "responder:port". */
  private Map<String, JsonNode> notices() throws Exception {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (String l : Files.readAllLines(dir.resolve("log/notice.log"))) {
      JsonNode n = JSON.readTree(l);
      out.put(n.get("id.resp_h").asText() + ":" + n.get("id.resp_p").asInt(), n);
    }
    return out;
  }

  @Test
  void aRealDnsLogNamesTheRespondersTheOriginatorResolved() throws Exception {
    // Zeek's opt.basic baseline: 141.142.220.118 asks 141.142.2.2 for upload.wikimedia.org
    // (CNAME upload.pmtpa.wikimedia.org, A 208.80.152.3) and meta.wikimedia.org (A 208.80.152.2)
    Path dns = dir.resolve("dns.log");
    int[] masks = {0};
    StringBuilder unmasked = new StringBuilder();
    for (String l : Files.readAllLines(SharedTestData.path("testdata/zeek/dns/opt.basic__dns.log"))) {
      unmasked.append(ZeekTestData.unmask(l, BASE_SECONDS, masks)).append('\n');
    }
    Files.writeString(dns, unmasked);
    long end = BASE_SECONDS + masks[0]; // after the last query: every answer is in, none expired (TTL 2141 s and more)
    Path connLog = dir.resolve("conn.log");
    Files.writeString(connLog, CONN_HEADER
        + conn(end, "C1", "141.142.220.118", "208.80.152.3", 80)
        + conn(end, "C2", "141.142.220.118", "208.80.152.2", 80)
        + conn(end, "C3", "141.142.220.118", "198.51.100.77", 80));
    Path config = dir.resolve("flowsentry.yml");
    Files.writeString(config, """
        site:
          local_networks: [141.142.0.0/16]
        policies:
          restricted_outgoing:
            - name: campus
              restricted_networks: [141.142.220.0/24]
        """);
    Run r = replay(config, connLog, dns); // the dns.log after the conn.log: told apart by #path, read in time order
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("bad lines: 0\n"), r.out());
    assertTrue(r.out().contains("dns.log answers learned: "), r.out());
    Map<String, JsonNode> notices = notices();
    assertEquals(new TreeSet<>(List.of("208.80.152.3:80", "208.80.152.2:80", "198.51.100.77:80")), new TreeSet<>(notices.keySet()));
    assertEquals("upload.wikimedia.org", notices.get("208.80.152.3:80").path("resp_name").asText());
    assertEquals("meta.wikimedia.org", notices.get("208.80.152.2:80").path("resp_name").asText());
    assertFalse(notices.get("198.51.100.77:80").has("resp_name"), "never answered: no name");
    List<String> policyLog = Files.readAllLines(dir.resolve("log/campus.log"));
    assertTrue(policyLog.get(0).endsWith(" : Restricted Outgoing TCP Connection resp_name=upload.wikimedia.org"), policyLog.get(0));
    assertTrue(Files.readAllLines(dir.resolve("log/alarms.log")).stream()
        .allMatch(l -> l.endsWith(" : Restricted Outgoing TCP Connection")), "alarms.log stays classic");
  }

  @Test
  void aCdnNameWithRotatingAddressesAllowsExactlyWhatTheHostResolvedWithinTtlAndGrace() throws Exception {
    long t0 = BASE_SECONDS;
    String host = "10.20.1.31";
    String other = "10.20.1.32";
    // cdn.example.com answers the host with a new edge every 2 minutes, TTL 60 s; another host gets .9
    Path dns = dir.resolve("dns.2023-11-14-22-00-00.log");
    Files.writeString(dns, DNS_HEADER
        + dnsLine(t0, host, "cdn.example.com", "edge.cdn.example.net,203.0.113.1", "300.000000,60.000000")
        + dnsLine(t0 + 1, other, "cdn.example.com", "203.0.113.9", "60.000000")
        + dnsLine(t0 + 120, host, "cdn.example.com", "203.0.113.2", "60.000000")
        + dnsLine(t0 + 240, host, "cdn.example.com", "203.0.113.3", "60.000000")
        + dnsLine(t0 + 240, host, "tracker.example.org", "203.0.113.66", "60.000000"));
    // each connection to its own port, so no alarm suppresses another; valid = [ts - 10 s, ts + 60 s + 10 s]
    record Connection(long at, String resp, int port, boolean alarms) {}
    List<Connection> connections = List.of(
        new Connection(t0 + 5, "203.0.113.1", 8001, false),
        new Connection(t0 + 69, "203.0.113.1", 8002, false),   // TTL over, grace not
        new Connection(t0 + 71, "203.0.113.1", 8003, true),    // TTL and grace over
        new Connection(t0 + 30, "203.0.113.9", 8004, true),    // another host resolved it
        new Connection(t0 + 115, "203.0.113.2", 8005, true),   // before the host's own answer
        new Connection(t0 + 125, "203.0.113.2", 8006, false),
        new Connection(t0 + 125, "203.0.113.1", 8007, true),   // the rotated-away edge
        new Connection(t0 + 245, "203.0.113.3", 8008, false),
        new Connection(t0 + 245, "203.0.113.2", 8009, true),   // expired: 120 + 60 + 10 < 245
        new Connection(t0 + 245, "203.0.113.66", 8010, true),  // resolved, but from a name not allowed
        new Connection(t0 + 250, "198.51.100.7", 8011, true)); // never resolved
    StringBuilder connText = new StringBuilder(CONN_HEADER);
    // conn.log is written as connections end: in order of time here, which the merge relies on for nothing
    connections.stream().sorted((a, b) -> Long.compare(a.at(), b.at()))
        .forEach(c -> connText.append(conn(c.at(), "C" + c.port(), host, c.resp(), c.port())));
    Path connLog = dir.resolve("conn.log");
    Files.writeString(connLog, connText);
    Path config = dir.resolve("flowsentry.yml");
    Files.writeString(config, """
        site:
          passive_dns: { min_ttl: 1s, max_ttl: 1h, grace: 10s }
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [10.20.1.0/24]
              allowed_domains: [cdn.example.com]
        """);
    Run r = replay(config, dns, connLog);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("dns.log answers learned: 5\n"), r.out());
    Map<String, JsonNode> notices = notices();
    String expected = connections.stream().filter(Connection::alarms).map(c -> c.resp() + ":" + c.port())
        .sorted().collect(Collectors.joining(" "));
    assertEquals(expected, notices.keySet().stream().sorted().collect(Collectors.joining(" ")), "exactly these alarm");
    assertEquals("cdn.example.com", notices.get("203.0.113.9:8004").path("resp_name").asText(), "another host's name");
    assertEquals("tracker.example.org", notices.get("203.0.113.66:8010").path("resp_name").asText());
    assertFalse(notices.get("198.51.100.7:8011").has("resp_name"));
  }

  private static String dnsLine(long seconds, String client, String query, String answers, String ttls) {
    return seconds + ".000000\tD" + seconds + "\t" + client + "\t53000\t10.20.0.53\t53\tudp\t1\t0.001\t" + query
        + "\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t" + answers + "\t" + ttls + "\tF\n";
  }
}
