package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.ExportProtocol;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in-process on loopback with a temporary configuration (no Debian peer needed):
 * what a fresh start serves, reload with a broken file, close.
 */
class DaemonTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir Path dir;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Daemon daemon;

  @AfterEach
  void stop() {
    if (daemon != null) daemon.close();
  }

  private Path connLog() {
    return dir.resolve("zeek/conn.log");
  }

  /** One policy named {@code policy}, a UDP socket, one Zeek file, everything on loopback with free ports. */
  private String config(String policy, String networks) {
    return """
        inputs:
          netflow:
            listen: ["127.0.0.1:0"]
          zeek:
            - path: %s
              start_at: beginning
        policies:
          restricted_outgoing:
            - name: %s
              restricted_networks: %s
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:0
        """.formatted(connLog(), policy, networks, dir.resolve("log"), dir.resolve("state"));
  }

  private Daemon start(String yaml) throws Exception {
    Files.createDirectories(connLog().getParent());
    Files.writeString(connLog(), "");
    Path file = dir.resolve("flowsentry.yml");
    Files.writeString(file, yaml);
    daemon = new Daemon(file, ConfigLoader.load(file), registry, Clock.systemUTC());
    daemon.start();
    return daemon;
  }

  private HttpResponse<String> get(String path) throws Exception {
    InetSocketAddress a = daemon.metricsAddress();
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aStartedDaemonAnswersMetricsAndHealthz() throws Exception {
    start(config("lab", "[192.168.4.0/24]"));
    HttpResponse<String> metrics = get("/metrics");
    assertEquals(200, metrics.statusCode(), metrics.body());
    assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), metrics.headers().toString());
    HttpResponse<String> health = get("/healthz");
    assertEquals(200, health.statusCode(), health.body());
    assertTrue(health.body().startsWith("ok\n"), health.body());
    assertEquals(404, get("/nothing-here").statusCode());
  }

  /**
   * Every series whose labels are known in advance is there at 0 before the first datagram,
   * line or alarm, so dashboards and alert rules (rate, increase, absent) work from start-up.
   */
  @Test
  void aFreshDaemonExportsEveryKnownSeriesAtZero() throws Exception {
    start(config("lab", "[192.168.4.0/24]"));
    String scrape = get("/metrics").body();
    List<String> expected = new ArrayList<>();
    for (ExportProtocol p : ExportProtocol.values()) {
      for (DecodeError r : p.reasons()) expected.add(decodeErrors(p.label(), r.tag()));
      expected.add(decodeErrors(p.label(), "internal_error"));
    }
    expected.add(decodeErrors("unknown", "truncated_header"));
    expected.add(decodeErrors("unknown", "unknown_version"));
    String file = "file=\"" + connLog() + "\"";
    expected.addAll(List.of(
        "flowsentry_zeek_lines_total{" + file + "} 0.0",
        "flowsentry_zeek_parse_errors_total{" + file + "} 0.0",
        "flowsentry_zeek_lag_seconds{" + file + "} 0.0",
        "flowsentry_alarm_queue_dropped_total 0.0",
        "flowsentry_alarm_write_errors_total 0.0",
        "flowsentry_dns_failures_total 0.0",
        "flowsentry_alarms_total{mode=\"enforce\",note=\"UnexpectedOutgoingConnection\",policy=\"lab\"} 0.0",
        "flowsentry_suppressed_total{policy=\"lab\"} 0.0",
        "flowsentry_suppression_entries{policy=\"lab\"} 0.0",
        "flowsentry_packets_dropped_total{reason=\"exporter_not_allowed\"} 0.0",
        "flowsentry_packets_dropped_total{reason=\"handler_error\"} 0.0",
        "flowsentry_packets_dropped_total{reason=\"receive_error\"} 0.0",
        "flowsentry_socket_drops_total{listen=\"" + Daemon.hostPort(daemon.netflowAddresses().getFirst()) + "\"} 0.0"));
    for (EventSource s : EventSource.values()) expected.add("flowsentry_events_total{source=\"" + s.label() + "\"} 0.0");
    List<String> lines = scrape.lines().toList();
    List<String> missing = expected.stream().filter(e -> !lines.contains(e)).toList();
    assertEquals(List.of(), missing, scrape);
    // the tailer may already have opened the file; it is followed either way
    assertTrue(lines.contains("flowsentry_zeek_files_followed{" + file + "} 0.0")
        || lines.contains("flowsentry_zeek_files_followed{" + file + "} 1.0"), scrape);
    assertEquals(expected.stream().filter(e -> e.startsWith("flowsentry_decode_errors_total{")).count(),
        lines.stream().filter(l -> l.startsWith("flowsentry_decode_errors_total{")).count(), scrape);
  }

  private static String decodeErrors(String protocol, String reason) {
    return "flowsentry_decode_errors_total{protocol=\"" + protocol + "\",reason=\"" + reason + "\"} 0.0";
  }

  @Test
  void reloadWithABrokenFileKeepsTheRunningConfigurationAndSaysWhy() throws Exception {
    Daemon d = start(config("lab", "[192.168.4.0/24]"));
    Path file = dir.resolve("flowsentry.yml");

    Files.writeString(file, config("next", "[not-a-network]"));
    List<String> problems = d.reload();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.getFirst().startsWith(file + ": ") && problems.getFirst().contains("not-a-network"), problems.toString());
    assertTrue(get("/metrics").body().contains("flowsentry_suppressed_total{policy=\"lab\"}"), "lab still runs");
    assertFalse(get("/metrics").body().contains("policy=\"next\""), "next is not running");

    Files.writeString(file, "policies: [\n");
    problems = d.reload();
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.getFirst().startsWith(file + ": "), problems.toString());
    assertTrue(get("/metrics").body().contains("flowsentry_suppressed_total{policy=\"lab\"}"), "lab still runs");

    Files.writeString(file, config("next", "[192.168.5.0/24]"));
    assertEquals(List.of(), d.reload());
    String scrape = get("/metrics").body();
    assertTrue(scrape.contains("flowsentry_suppressed_total{policy=\"next\"} 0.0"), scrape);
    assertFalse(scrape.contains("flowsentry_suppressed_total{policy=\"lab\"}"), scrape);
    assertEquals(200, get("/healthz").statusCode());
  }

  @Test
  void closeReleasesEveryPortAndCanBeRepeated() throws Exception {
    Daemon d = start(config("lab", "[192.168.4.0/24]"));
    InetSocketAddress metrics = d.metricsAddress();
    InetSocketAddress udp = d.netflowAddresses().getFirst();
    d.close();
    d.close();
    assertThrows(ConnectException.class, () -> get("/metrics"));
    try (DatagramSocket s = new DatagramSocket(udp); ServerSocket t = new ServerSocket(metrics.getPort(), 1, metrics.getAddress())) {
      assertEquals(udp.getPort(), s.getLocalPort());
      assertEquals(metrics.getPort(), t.getLocalPort());
    }
  }

  @Test
  void aStartThatFailsClosesWhatItOpened() throws Exception {
    int udpPort;
    try (DatagramSocket free = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      udpPort = free.getLocalPort();
    }
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String yaml = config("lab", "[192.168.4.0/24]")
          .replace("listen: 127.0.0.1:0", "listen: 127.0.0.1:" + taken.getLocalPort())
          .replace("\"127.0.0.1:0\"", "\"127.0.0.1:" + udpPort + "\"");
      IOException e = assertThrows(IOException.class, () -> start(yaml));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
    }
    // the NetFlow socket, bound before the metrics port failed, was closed again
    try (DatagramSocket s = new DatagramSocket(udpPort, InetAddress.getLoopbackAddress())) {
      assertEquals(udpPort, s.getLocalPort());
    }
  }
}
