package io.flowsentry.app.cli;

import static io.flowsentry.app.cli.CliRun.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowsentry explain} in-process: local fallback, --json, exit codes. (The daemon side: ExplainOnRunningDaemonTest.) */
class ExplainCommandTest {
  @TempDir Path dir;

  /** A configuration whose metrics port nobody listens on (bound once, then released). */
  private Path config() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, """
        policies:
          restricted_outgoing:
            - name: servers
              restricted_networks: [192.168.4.0/24]
              allowed_services:
                - { network: 192.168.4.0/24, port: 123/udp }
        metrics:
          listen: 127.0.0.1:%d
        """.formatted(port));
    return file;
  }

  @Test
  void withoutADaemonItEvaluatesLocallyAndSaysSo() throws Exception {
    CliRun r = run("explain", "-c", config().toString(), "192.168.4.7", "203.0.113.9", "443/tcp", "--at", "2026-03-01T12:00:00Z");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("no daemon reachable at 127.0.0.1:"), r.err());
    assertTrue(r.err().contains("evaluating locally"), r.err());
    assertTrue(r.out().contains("policy servers: WOULD ALARM (no exception matched)"), r.out());
    assertTrue(r.out().contains("at 2026-03-01T12:00:00Z (evaluated by local)"), r.out());
  }

  @Test
  void jsonSaysWhichEntryMatched() throws Exception {
    CliRun r = run("explain", "-c", config().toString(), "--local", "--json", "192.168.4.7", "203.0.113.9", "123/udp",
        "--at", "1772366400");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.err(), "--local asks no daemon");
    JsonNode p = new ObjectMapper().readTree(r.out()).get("policies").get(0);
    assertEquals(false, p.get("alarms").asBoolean());
    assertEquals("allowed_service", p.get("decision").asText());
    assertEquals("allowed_services", p.get("exceptions").get(0).get("list").asText());
    assertEquals("192.168.4.0/24 123/udp", p.get("exceptions").get(0).get("entry").asText());
  }

  @Test
  void aDnsLogTeachesLocalEvaluationWhatTheOriginatorResolved() throws Exception {
    Path dns = dir.resolve("dns.log");
    Files.writeString(dns, io.flowsentry.collector.zeek.ZeekTestData.DNS_HEADER
        + "1772366390.000000\tCd1\t192.168.4.7\t40000\t192.168.1.53\t53\tudp\t1\t0.001\t"
        + "updates.example.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t203.0.113.9\t300.000000\tF\n");
    Path file = dir.resolve("domains.yml");
    Files.writeString(file, """
        policies:
          restricted_outgoing:
            - name: servers
              restricted_networks: [192.168.4.0/24]
              allowed_domains: [updates.example.com]
        metrics:
          listen: 127.0.0.1:0
        """);
    String[] words = {"explain", "-c", file.toString(), "--local", "--json", "192.168.4.7", "203.0.113.9", "443/tcp",
        "--at", "2026-03-01T12:00:00Z"};
    JsonNode without = new ObjectMapper().readTree(run(words).out()).get("policies").get(0);
    assertEquals("alarm", without.get("decision").asText());
    String[] withDns = java.util.Arrays.copyOf(words, words.length + 2);
    withDns[words.length] = "--dns-log";
    withDns[words.length + 1] = dns.toString();
    CliRun r = run(withDns);
    assertEquals(0, r.code(), r.err());
    JsonNode with = new ObjectMapper().readTree(r.out()).get("policies").get(0);
    assertEquals("allowed_domain", with.get("decision").asText(), r.out());
    assertEquals("updates.example.com", with.get("names").get(0).get("dns_log").get(0).get("name").asText());
  }

  @Test
  void badWordsAreUsageErrorsNamingTheWord() throws Exception {
    Path c = config();
    CliRun r = run("explain", "-c", c.toString(), "--local", "192.168.4.7", "203.0.113.9", "443");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("PORT/PROTO"), r.err());
    r = run("explain", "-c", c.toString(), "--local", "192.168.4.x", "203.0.113.9", "443/tcp");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("ORIG: not an IP address"), r.err());
    r = run("explain", "-c", c.toString(), "--local", "192.168.4.7", "203.0.113.9", "443/tcp", "--at", "yesterday");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("time: expected ISO-8601"), r.err());
  }

  @Test
  void anInvalidConfigurationIsExitCode3() throws Exception {
    Path file = dir.resolve("bad.yml");
    Files.writeString(file, "policies:\n  restricted_outgoing:\n    - restricted_networks: [nope]\n");
    assertEquals(3, run("explain", "-c", file.toString(), "192.168.4.7", "203.0.113.9", "443/tcp").code());
  }
}
