package io.flowsentry.app.e2e;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.cluster.testing.KafkaBroker;
import io.flowsentry.cluster.testing.RepeatingTraffic;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnLogJson;
import io.flowsentry.collector.event.ConnectionEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcomes 1-3 of issue 16 with every part real: a KRaft broker process, and the packaged jar
 * as 2 collectors, analyzers and 1 alarm writer, each its own process ({@code run --role}).
 * Generated Zeek conn.log traffic (keys repeating within and past both policies' windows) is
 * split by conversation over the two collectors' files and appended while the cluster runs;
 * meanwhile one analyzer is killed with SIGKILL and restarted, a third analyzer joins (partitions
 * and their suppression tables move), and the alarm writer is killed with SIGKILL and restarted.
 * The alarm files must hold exactly the lines {@code flowsentry replay} writes for the same
 * traffic in one file: none lost, none doubled, no repeat of a suppressed key alarming after its
 * partition moved. Lines of different partitions interleave in no fixed order, so the files are
 * compared as sorted lists.
 */
class ClusterEndToEndIT {
  private static final int EVENTS = 30_000;
  private static final int CHUNKS = 12;
  private static final List<String> FILES = List.of("alarms.log", "notice.log", "restricted-outgoing.log", "hosts-1-8.log");
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  @TempDir Path dir;
  private String bootstrap;

  @Test
  void sameAlarmsAsReplayThroughKillsAndARebalance() throws Exception {
    List<ConnectionEvent> events = RepeatingTraffic.events(EVENTS, 7);
    List<List<String>> split = List.of(new ArrayList<>(), new ArrayList<>());
    StringBuilder merged = new StringBuilder();
    for (ConnectionEvent e : events) {
      String line = ConnLogJson.toJson(e, false, CommunityId.DEFAULT_SEED);
      merged.append(line).append('\n');
      split.get(restrictedHost(e) % 2).add(line);
    }
    // every process reads "zeek/conn.log" in a working directory of its own: events carry the
    // path as their exporter, and notice.log shows it
    Path replayHome = Files.createDirectories(dir.resolve("replay/zeek")).getParent();
    Files.writeString(replayHome.resolve("zeek/conn.log"), merged);
    Path reference = dir.resolve("reference");
    var replay = FlowsentryProcess.runToEnd(replayHome, Duration.ofMinutes(3), "replay", "-c", config("replay", false, 0).toString(),
        "--log-dir", reference.toString(), "zeek/conn.log");
    assertEquals(0, replay.exitCode(), replay.output());
    int expectedAlarms = Files.readAllLines(reference.resolve("alarms.log")).size();
    assertTrue(expectedAlarms > 2_000 && expectedAlarms < EVENTS / 2,
        "the traffic alarms often and repeats within windows often: " + expectedAlarms + " alarms of " + EVENTS + " events");

    try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")))) {
      bootstrap = broker.bootstrapServers();
      broker.createTopics(Map.of("flowsentry.flows.v1", 4, "flowsentry.alarms.v1", 4));
      List<FlowsentryProcess> all = new ArrayList<>();
      try {
        FlowsentryProcess writer = role(all, "writer", "alarm-writer", false);
        FlowsentryProcess analyzer1 = role(all, "analyzer-1", "analyzer", false);
        role(all, "analyzer-2", "analyzer", false);
        FlowsentryProcess collector1 = role(all, "collector-1", "collector", true);
        role(all, "collector-2", "collector", true);
        FlowsentryProcess analyzer3 = null;
        Path out = dir.resolve("writer/log/alarms.log");
        int perChunk = (EVENTS + CHUNKS - 1) / CHUNKS;
        for (int c = 0; c < CHUNKS; c++) {
          appendChunk(split, c, perChunk);
          Thread.sleep(1_500);
          if (c == 2) {
            System.out.printf("kill -9 analyzer-1 with %d of %d alarms written%n", lines(out), expectedAlarms);
            analyzer1.kill9();
            Thread.sleep(2_000);
            analyzer1 = role(all, "analyzer-1", "analyzer", false); // the same state_dir, as a supervisor restarts it
          } else if (c == 5) {
            System.out.printf("analyzer-3 joins with %d of %d alarms written%n", lines(out), expectedAlarms);
            analyzer3 = role(all, "analyzer-3", "analyzer", false);
          } else if (c == 8) {
            System.out.printf("kill -9 alarm-writer with %d of %d alarms written%n", lines(out), expectedAlarms);
            writer.kill9();
            writer = role(all, "writer", "alarm-writer", false);
          }
        }
        await("the writer has " + expectedAlarms + " alarms", Duration.ofMinutes(4), () -> lines(out) >= expectedAlarms);
        Thread.sleep(3_000); // anything beyond the expected lines would arrive now
        for (String f : FILES) {
          List<String> want = sorted(reference.resolve(f));
          List<String> got = sorted(dir.resolve("writer/log").resolve(f));
          assertEquals(want.size(), got.size(), f + ": line count");
          assertEquals(want, got, f);
        }
        // the joiner took over partitions with their suppression tables, read back from the changelog
        double restored = analyzer3.metric("flowsentry_cluster_restored_records_total");
        assertTrue(restored > 0, "analyzer-3 restored no suppression entries");
        // the series the dashboard's cluster row reads, from the role that exports each (metric() fails on a missing one)
        assertTrue(collector1.metric("flowsentry_cluster_published_total") > 0, "collector-1 published nothing");
        for (String m : List.of("flowsentry_cluster_publish_dropped_total", "flowsentry_cluster_produce_errors_total",
            "flowsentry_cluster_publish_buffered")) {
          collector1.metric(m);
        }
        for (String m : List.of("flowsentry_cluster_alarms_produced_total", "flowsentry_cluster_rebalances_total",
            "flowsentry_cluster_restore_seconds_total", "flowsentry_cluster_records_malformed_total",
            "flowsentry_cluster_consumer_lag")) {
          analyzer3.metric(m);
        }
        System.out.printf("%d events, %d alarms in each file as replay wrote them; analyzer-3 restored %.0f changelog records%n",
            EVENTS, expectedAlarms, restored);
      } catch (AssertionError | Exception e) {
        StringBuilder logs = new StringBuilder();
        for (FlowsentryProcess p : all) logs.append("\n--- ").append(p.isAlive() ? "running" : "ended").append(":\n")
            .append(tail(p.output(), 3000));
        throw new AssertionError(e.getMessage() + logs, e);
      } finally {
        for (FlowsentryProcess p : all) p.close();
      }
    }
  }

  private FlowsentryProcess role(List<FlowsentryProcess> all, String name, String role, boolean zeek) throws Exception {
    int port = FlowsentryProcess.freeTcpPort();
    Path config = config(name, zeek, port);
    FlowsentryProcess p = FlowsentryProcess.startWith(config.getParent(), port, JVM, "run", "--role", role, "-c", config.toString());
    all.add(p);
    return p;
  }

  private Path config(String name, boolean zeek, int metricsPort) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    String inputs = !zeek ? "  zeek: []\n" : """
          zeek:
            - path: zeek/conn.log
              start_at: beginning
              poll_interval: 100ms
        """;
    String cluster = bootstrap == null ? "" : """
        cluster:
          kafka:
            bootstrap_servers: ["%s"]
            properties: {session.timeout.ms: "6000", heartbeat.interval.ms: "1000", commit.interval.ms: "200"}
        """.formatted(bootstrap);
    Path file = home.resolve("flowsentry.yml");
    Files.writeString(file, """
        inputs:
          netflow:
            listen: []
        %s
        site:
          local_networks: [192.168.0.0/16, 10.0.0.0/8]
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
              suppress_for: 60s
              max_alarms_per_minute: 0
            - name: hosts-1-8
              restricted_networks: [192.168.4.0/29]
              suppress_for: 7s
              allowed_destinations: [203.0.113.1/32]
              note_style: legacy
              max_alarms_per_minute: 0
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:%d
        %s""".formatted(inputs, home.resolve("log"), home.resolve("state"), metricsPort, cluster));
    return file;
  }

  private void appendChunk(List<List<String>> split, int chunk, int perChunk) throws IOException {
    for (int i = 0; i < 2; i++) {
      List<String> lines = split.get(i);
      int from = Math.min(lines.size(), chunk * perChunk / 2);
      int to = chunk == CHUNKS - 1 ? lines.size() : Math.min(lines.size(), (chunk + 1) * perChunk / 2);
      Path file = dir.resolve("collector-" + (i + 1) + "/zeek/conn.log");
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", lines.subList(from, to)) + (to > from ? "\n" : ""),
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
  }

  private static int restrictedHost(ConnectionEvent e) {
    String a = e.origH().toString().startsWith("192.168.4.") ? e.origH().toString() : e.respH().toString();
    return Integer.parseInt(a.substring(a.lastIndexOf('.') + 1));
  }

  private static int lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static List<String> sorted(Path file) throws IOException {
    List<String> l = new ArrayList<>(Files.exists(file) ? Files.readAllLines(file) : List.of());
    l.sort(null);
    return l;
  }

  private static String tail(String s, int n) {
    return s.length() <= n ? s : "..." + s.substring(s.length() - n);
  }
}
