package io.flowsentry.app.service;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.collector.zeek.ZeekTestData;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon with a shadow policy and a webhook (the JDK's HTTP server on loopback): the shadow
 * alarm reaches only the policy's log and the mode="shadow" series; a SIGHUP-style reload to
 * enforce keeps the suppression table, so the same key stays quiet within suppress_for, and a new
 * key alarms into alarms.log, notice.log and the webhook.
 */
class DaemonShadowModeTest {
  /** The tailers poll every 250 ms; 20 s leaves room for a busy two-core machine. */
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
  private Daemon daemon;
  private HttpServer server;

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
    if (server != null) server.stop(0);
  }

  private String webhook() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", ex -> {
      for (JsonNode n : JSON.readTree(ex.getRequestBody().readAllBytes())) delivered.add(n.get("id.orig_h").asText());
      ex.sendResponseHeaders(204, -1);
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  private String config(Path conn, String url, String mode) {
    return """
        inputs:
          netflow:
            listen: []
          zeek:
            - path: %s
              start_at: beginning
        policies:
          restricted_outgoing:
            - name: staged
              restricted_networks: [192.168.4.0/24]
              suppress_for: 60s
              mode: %s
        outputs:
          log_dir: %s
          webhook:
            url: %s
            batch_size: 1
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(conn, mode, dir.resolve("log"), url, dir.resolve("state"));
  }

  private static String connLine(long ts, String orig) {
    return ts + ".000000\tC" + ts + "\t" + orig + "\t40001\t203.0.113.9\t443\ttcp\tssl\t1.000000\t100\t200"
        + "\tSF\tT\tF\t0\tShADadFf\t5\t400\t5\t500\t-\t6\n";
  }

  @Test
  void aShadowPolicyPagesNoOneAndAReloadToEnforceKeepsItsSuppression() throws Exception {
    Path conn = dir.resolve("zeek/conn.log");
    Files.createDirectories(conn.getParent());
    Files.writeString(conn, ZeekTestData.connHeader(true));
    String url = webhook();
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, config(conn, url, "shadow"));
    daemon = new Daemon(file, ConfigLoader.load(file), registry, Clock.systemUTC());
    daemon.start();
    Path log = dir.resolve("log");

    Files.writeString(conn, connLine(1700000001, "192.168.4.7"), StandardOpenOption.APPEND);
    await("the shadow alarm written", WAIT, () -> lines(log.resolve("staged.log")).size() == 1);
    assertTrue(lines(log.resolve("staged.log")).getFirst().endsWith(" : Restricted Outgoing TCP Connection mode=shadow"),
        lines(log.resolve("staged.log")).toString());
    String scrape = registry.scrape();
    assertTrue(scrape.contains("flowsentry_alarms_total{mode=\"shadow\",note=\"UnexpectedOutgoingConnection\",policy=\"staged\"} 1.0"), scrape);

    Files.writeString(file, config(conn, url, "enforce"));
    assertEquals(List.of(), daemon.reload());
    Files.writeString(conn, connLine(1700000030, "192.168.4.7") + connLine(1700000031, "192.168.4.8"), StandardOpenOption.APPEND);
    await("the enforced alarm written", WAIT, () -> lines(log.resolve("alarms.log")).size() == 1);
    await("the enforced alarm delivered", WAIT, () -> delivered.size() == 1);

    assertEquals(List.of("1700000031.000000 UnexpectedOutgoingConnection 192.168.4.8/40001 > 203.0.113.9/https : Restricted Outgoing TCP Connection"),
        lines(log.resolve("alarms.log")), "the key that alarmed in shadow stayed suppressed; the new one alarmed");
    assertEquals(1, lines(log.resolve("notice.log")).size());
    assertEquals(2, lines(log.resolve("staged.log")).size());
    assertEquals(List.of("192.168.4.8"), delivered, "the webhook never got the shadow alarm");
    scrape = registry.scrape();
    assertTrue(scrape.contains("flowsentry_alarms_total{mode=\"enforce\",note=\"UnexpectedOutgoingConnection\",policy=\"staged\"} 1.0"), scrape);
    assertTrue(scrape.contains("flowsentry_suppressed_total{policy=\"staged\"} 1.0"), scrape);
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : List.of();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
