package io.flowsentry.app.service;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.collector.zeek.ZeekTestData;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon follows inputs.zeek_dns with its own tailer and names the alarms of inputs.zeek's connections. */
class DaemonPassiveDnsTest {
  private static final String DNS_HEADER = ZeekTestData.DNS_HEADER;

  /** The tailers poll every 250 ms; 20 s leaves room for a busy two-core machine. */
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
  }

  @Test
  void anAlarmNamesWhatTheOriginatorResolvedInTheFollowedDnsLog() throws Exception {
    Path conn = dir.resolve("zeek/conn.log"), dns = dir.resolve("zeek/dns.log");
    Files.createDirectories(conn.getParent());
    Files.writeString(conn, ZeekTestData.connHeader(true));
    Files.writeString(dns, DNS_HEADER + "1700000000.000000\tCd1\t192.168.4.7\t40000\t192.168.1.53\t53\tudp\t1\t0.001\t"
        + "Updates.Example.com\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\tedge.cdn.example.net,203.0.113.9\t"
        + "300.000000,60.000000\tF\n");
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, """
        inputs:
          netflow:
            listen: []
          zeek:
            - path: %s
              start_at: beginning
          zeek_dns:
            - path: %s
              start_at: beginning
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(conn, dns, dir.resolve("log"), dir.resolve("state")));
    daemon = new Daemon(file, ConfigLoader.load(file), registry, Clock.systemUTC());
    daemon.start();
    await("the answer learned", WAIT, () -> registry.get("flowsentry.passive.dns.answers").counter().count() == 1);
    Files.writeString(conn, "1700000001.000000\tCc1\t192.168.4.7\t40001\t203.0.113.9\t443\ttcp\tssl\t1.000000\t100\t200"
        + "\tSF\tT\tF\t0\tShADadFf\t5\t400\t5\t500\t-\t6\n", StandardOpenOption.APPEND);
    Path notice = dir.resolve("log/notice.log");
    await("the alarm written", WAIT, () -> lines(notice).size() == 1);
    JsonNode n = new ObjectMapper().readTree(lines(notice).getFirst());
    assertEquals("203.0.113.9", n.get("id.resp_h").asText());
    assertEquals("updates.example.com", n.get("resp_name").asText());
    assertEquals(1, registry.get("flowsentry.zeek.lines").tag("file", dns.toString()).counter().count());
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
