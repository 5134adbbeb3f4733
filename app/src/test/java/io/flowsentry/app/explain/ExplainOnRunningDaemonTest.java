package io.flowsentry.app.explain;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.analyzer.explain.Connection;
import io.flowsentry.analyzer.explain.Explanation;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.MetricsConfig;
import io.flowsentry.app.service.Daemon;
import io.flowsentry.collector.zeek.ZeekTestData;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon in-process: an event alarms, then /explain says its key is suppressed and until when. */
class ExplainOnRunningDaemonTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
  }

  private String start() throws Exception {
    Path conn = dir.resolve("zeek/conn.log");
    Files.createDirectories(conn.getParent());
    Files.writeString(conn, ZeekTestData.connHeader(true));
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, """
        inputs:
          netflow:
            listen: []
          zeek:
            - path: %s
              start_at: beginning
        policies:
          restricted_outgoing:
            - name: servers
              restricted_networks: [192.168.4.0/24]
              suppress_for: 10m
            - name: lab
              restricted_networks: [192.168.0.0/16]
              allowed_destinations: [203.0.113.0/24]
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(conn, dir.resolve("log"), dir.resolve("state")));
    daemon = new Daemon(file, ConfigLoader.load(file), registry, Clock.systemUTC());
    daemon.start();
    Files.writeString(conn, "1700000001.000000\tCc1\t192.168.4.7\t40001\t203.0.113.9\t443\ttcp\tssl\t1.000000\t100\t200"
        + "\tSF\tT\tF\t0\tShADadFf\t5\t400\t5\t500\t-\t6\n", StandardOpenOption.APPEND);
    Path alarms = dir.resolve("log/alarms.log");
    await("the alarm written", WAIT, () -> lineCount(alarms) == 1);
    var a = daemon.metricsAddress();
    return "http://127.0.0.1:" + a.getPort();
  }

  private static int lineCount(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> get(String uri) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void explainSaysTheAlarmedKeyIsSuppressedAndUntilWhen() throws Exception {
    String base = start();
    HttpResponse<String> r = get(base + "/explain?orig=192.168.4.7&resp=203.0.113.9&port=443&proto=tcp");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode servers = policy(r.body(), "servers");
    assertTrue(servers.get("alarms").asBoolean());
    assertTrue(servers.get("suppression").get("suppressed").asBoolean(), r.body());
    assertEquals("2023-11-14T22:13:21Z", servers.get("suppression").get("last_seen").asText());
    assertEquals("2023-11-14T22:23:21Z", servers.get("suppression").get("suppressed_until").asText());
    JsonNode lab = policy(r.body(), "lab");
    assertFalse(lab.get("alarms").asBoolean());
    assertEquals("allowed_destination", lab.get("decision").asText());
    assertFalse(lab.get("suppression").get("suppressed").asBoolean());
    assertEquals("daemon", new ObjectMapper().readTree(r.body()).get("evaluated_by").asText());

    // after the quiet time, as asked with at=: no longer suppressed, last sighting still told
    JsonNode later = policy(get(base + "/explain?orig=192.168.4.7&resp=203.0.113.9&port=443&proto=tcp&at=2023-11-14T22:30:00Z").body(), "servers");
    assertFalse(later.get("suppression").get("suppressed").asBoolean());
    // another service of the same pair is another key
    JsonNode other = policy(get(base + "/explain?orig=192.168.4.7&resp=203.0.113.9&port=443&proto=udp").body(), "servers");
    assertFalse(other.get("suppression").get("suppressed").asBoolean());
    assertFalse(other.get("suppression").has("suppressed_until"));
  }

  @Test
  void theCommandLineClientReadsTheDaemonsAnswer() throws Exception {
    String base = start();
    int port = URI.create(base).getPort();
    DaemonExplainClient.Result r = DaemonExplainClient.ask(new MetricsConfig("0.0.0.0:" + port),
        Connection.parse("192.168.4.7", "203.0.113.9", "443/tcp", 0), null);
    Explanation e = r.explanation().orElseThrow(() -> new AssertionError(r));
    assertEquals("daemon", e.evaluatedBy());
    assertEquals("2023-11-14T22:23:21Z", e.policies().getFirst().suppression().suppressedUntil());
    assertTrue(e.policies().getFirst().suppression().suppressed());
    // a moment given is the daemon's moment too
    DaemonExplainClient.Result later = DaemonExplainClient.ask(new MetricsConfig("127.0.0.1:" + port),
        Connection.parse("192.168.4.7", "203.0.113.9", "443/tcp", 0), 1_700_001_000_000_000L);
    Explanation l = later.explanation().orElseThrow(() -> new AssertionError(later));
    assertEquals("2023-11-14T22:30:00Z", l.at());
    assertFalse(l.policies().getFirst().suppression().suppressed());
  }

  @Test
  void aBadQueryIsA400NamingTheProblem() throws Exception {
    String base = start();
    HttpResponse<String> r = get(base + "/explain?orig=192.168.4.7&resp=nowhere&port=443&proto=tcp");
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("RESP: not an IP address: \"nowhere\""), r.body());
    assertEquals(400, get(base + "/explain?orig=192.168.4.7").statusCode());
    assertEquals(400, get(base + "/explain").statusCode());
  }

  private static JsonNode policy(String json, String name) throws Exception {
    for (JsonNode p : new ObjectMapper().readTree(json).get("policies")) {
      if (p.get("policy").asText().equals(name)) return p;
    }
    throw new AssertionError("no policy " + name + " in " + json);
  }

}
