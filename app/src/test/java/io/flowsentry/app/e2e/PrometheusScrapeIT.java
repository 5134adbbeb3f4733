package io.flowsentry.app.e2e;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.loadgen.LoadGenerator;
import io.flowsentry.collector.loadgen.LoadSpec;
import io.flowsentry.collector.testing.SharedTestData;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.udp.ListenAddress;
import io.flowsentry.collector.zeek.ZeekTestData;
import com.sun.net.httpserver.HttpServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes the real daemon while v5, v9 and IPFIX traffic and conn.log lines
 * flow in; it/prometheus/check.sh then evaluates every PromQL expression of the Grafana
 * dashboard and the alert rules through Prometheus' HTTP API (issue: Prometheus, Grafana and
 * Docker).
 */
class PrometheusScrapeIT {
  @TempDir Path dir;

  @Test
  void everyDashboardAndAlertExpressionAnswersAgainstTheDaemon() throws Exception {
    SharedTestData.tool("prometheus");
    SharedTestData.tool("promtool");
    int udpPort = FlowsentryProcess.freeUdpPort();
    int metricsPort = FlowsentryProcess.freeTcpPort();
    // a webhook that takes every batch, so the delivery series have data
    HttpServer webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext("/alarms", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    webhook.start();
    Path config = dir.resolve("flowsentry.yml");
    Files.writeString(config, """
        inputs:
          netflow:
            listen: ["127.0.0.1:%d"]
          zeek:
            - path: zeek/conn.log
              start_at: beginning
              poll_interval: 100ms
          zeek_dns:
            - path: zeek/dns.log
              start_at: beginning
              poll_interval: 100ms
        site:
          local_networks: [192.168.0.0/16, 10.0.0.0/8]
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
        outputs:
          log_dir: log
          webhook:
            url: http://127.0.0.1:%d/alarms
        state_dir: state
        metrics:
          listen: 127.0.0.1:%d
        """.formatted(udpPort, webhook.getAddress().getPort(), metricsPort));
    Path connLog = dir.resolve("zeek/conn.log");
    Files.createDirectories(connLog.getParent());
    Files.writeString(connLog, "#separator \\x09\n#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\n"
        + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\n");
    Files.writeString(dir.resolve("zeek/dns.log"), ZeekTestData.DNS_HEADER + String.format(Locale.ROOT,
        "%.6f\tD1\t192.168.4.9\t53000\t192.168.0.53\t53\tudp\t1\t0.001\tupdates.example.com"
            + "\t1\tC_INTERNET\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t203.0.113.9\t300.000000\tF\n",
        System.currentTimeMillis() / 1000.0));

    try (FlowsentryProcess fs = FlowsentryProcess.start(dir, config, metricsPort)) {
      ListenAddress target = ListenAddress.parse("127.0.0.1:" + udpPort);
      for (ExportVersion v : ExportVersion.values()) {
        LoadGenerator.run(new LoadSpec(v, target, 500, 100, 5, 40, 3, Cidr.parse("192.168.4.0/24"),
            Cidr.parse("203.0.113.0/24"), 10, 1, 0));
      }
      try (DatagramSocket s = new DatagramSocket()) { // one malformed datagram: a v9 header cut short
        s.send(new DatagramPacket(new byte[] {0, 9, 0, 1}, 4, InetAddress.getLoopbackAddress(), udpPort));
      }
      double ts = System.currentTimeMillis() / 1000.0;
      Files.writeString(connLog, String.format(Locale.ROOT, "%.6f\tC1\t192.168.4.9\t5000\t198.51.100.7\t53\tudp\nbroken line\n", ts),
          java.nio.file.StandardOpenOption.APPEND);
      await("events counted", Duration.ofSeconds(30), () -> {
        try {
          return fs.metric("flowsentry_events_total") >= 100 && fs.metric("flowsentry_zeek_lines_total") >= 1
              && fs.metric("flowsentry_passive_dns_answers_total") >= 1
              && fs.metric("flowsentry_alarm_deliveries_total") >= 1;
        } catch (java.io.IOException e) {
          return false;
        }
      });

      Path root = Path.of(System.getProperty("flowsentry.home", "..")).toAbsolutePath().normalize();
      Path out = dir.resolve("check.out");
      Process check = new ProcessBuilder("bash", root.resolve("it/prometheus/check.sh").toString(),
          "http://127.0.0.1:" + metricsPort + "/metrics")
          .directory(root.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean finished = check.waitFor(240, TimeUnit.SECONDS);
      if (!finished) check.destroyForcibly();
      String report = Files.readString(out);
      System.out.println(report);
      assertTrue(finished, "check.sh finished within 240 s:\n" + report);
      assertEquals(0, check.exitValue(), "check.sh:\n" + report);
      assertEquals(0, fs.terminate(Duration.ofSeconds(20)));
    } finally {
      webhook.stop(0);
    }
  }
}
