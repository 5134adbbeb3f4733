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
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcomes 1-3 of issue 16 with every part real: a KRaft broker process, and the packaged jar
 * as 2 collectors, analyzers and 1 alarm writer, each its own process ({@code run --role}).
 * The input is a generated Zeek dns.log (names for the alarms' resp_name and a policy's
 * allowed_domains), then generated Zeek conn.log traffic (keys repeating within and past the
 * policies' windows), split by conversation over the two collectors' files and appended while
 * the cluster runs, then NetFlow v9 and IPFIX from the load generator's encoders, one simulated router per
 * collector over real UDP. Meanwhile one analyzer is killed with SIGKILL and restarted, a third
 * analyzer joins (partitions and their suppression tables move), the alarm writer is killed
 * with SIGKILL and restarted, and in the NetFlow part a second analyzer is killed and restarted.
 *
 * <p>The reference is the single-node daemon ({@code flowsentry run}) on the same input: the
 * dns.log, the whole conn.log, then the same datagrams from the same two sockets (alarms name the exporter by
 * address and port). Its conn.log part must equal what {@code flowsentry replay} writes; the
 * cluster's alarm files must hold exactly the daemon's lines: none lost, none doubled, no repeat
 * of a suppressed key alarming after its partition moved. Lines of different partitions
 * interleave in no fixed order, so the files are compared as sorted lists.
 */
class ClusterEndToEndIT {
  private static final int EVENTS = 30_000;
  private static final int CHUNKS = 12;
  /** Packets per simulated router: 18 000 v9 and 15 000 IPFIX records. */
  private static final int PACKETS = 600;
  /** Answers in the generated dns.log: two thirds of 24 restricted hosts times 12 Internet addresses. */
  private static final int DNS_ANSWERS = 24 * 12 * 2 / 3;
  private static final List<String> FILES = List.of("alarms.log", "notice.log", "restricted-outgoing.log", "hosts-1-8.log",
      "cdn-allowed.log");
  private static final List<String> JVM = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

  @TempDir Path dir;
  private String bootstrap;

  @Test
  void sameAlarmsAsOneNodeThroughKillsAndARebalance() throws Exception {
    List<ConnectionEvent> events = RepeatingTraffic.events(EVENTS, 7);
    List<List<String>> split = List.of(new ArrayList<>(), new ArrayList<>());
    StringBuilder merged = new StringBuilder();
    for (ConnectionEvent e : events) {
      String line = ConnLogJson.toJson(e, false, CommunityId.DEFAULT_SEED);
      merged.append(line).append('\n');
      split.get(restrictedHost(e) % 2).add(line);
    }
    String dnsLog = dnsLog(events.get(0).tsMicros() - 60_000_000);
    // the routers' clocks start after the conn.log's last event: each process reads the conn.log part first
    long netflowStart = events.get(events.size() - 1).tsMicros() / 1000 + 1_000;
    try (SyntheticExporter v9 = new SyntheticExporter(false, "192.168.4.0/28", "203.0.113.0/29", PACKETS, 11, netflowStart);
         SyntheticExporter ipfix = new SyntheticExporter(true, "192.168.4.16/28", "203.0.113.0/29", PACKETS, 12, netflowStart)) {
      Path reference = singleNode(merged.toString(), dnsLog, v9, ipfix);
      int connAlarms = Files.readAllLines(dir.resolve("replay-log/alarms.log")).size();
      int expectedAlarms = Files.readAllLines(reference.resolve("alarms.log")).size();
      assertTrue(connAlarms > 2_000 && connAlarms < EVENTS / 2,
          "the conn.log traffic alarms often and repeats within windows often: " + connAlarms + " alarms of " + EVENTS + " events");
      long netflowRecords = v9.records() + ipfix.records();
      int netflowOutgoing = lines(reference.resolve("restricted-outgoing.log")) - lines(dir.resolve("replay-log/restricted-outgoing.log"));
      assertTrue(netflowOutgoing > 1_000 && netflowOutgoing < netflowRecords * 0.4,
          "the NetFlow traffic alarms often and repeats within restricted-outgoing's window often: " + netflowOutgoing
              + " of its alarms for " + netflowRecords + " records");
      // dns.log names the alarms and allows some connections: the same on both sides
      assertTrue(Files.readAllLines(reference.resolve("notice.log")).stream().filter(l -> l.contains("\"resp_name\"")).count() > 500,
          "resp_name in notice.log");
      assertTrue(lines(reference.resolve("cdn-allowed.log")) < lines(reference.resolve("restricted-outgoing.log")) * 0.8,
          "allowed_domains allows the connections to names the originator resolved");
      cluster(split, dnsLog, v9, ipfix, reference, connAlarms, expectedAlarms);
    }
  }

  /**
   * The single-node daemon on the whole conn.log, then on the routers' packets; checks its conn.log
   * part against {@code flowsentry replay}, and returns its log directory once it has stopped.
   */
  private Path singleNode(String connLog, String dnsLog, SyntheticExporter v9, SyntheticExporter ipfix) throws Exception {
    // every process reads "zeek/conn.log" in a working directory of its own: events carry the
    // path as their exporter, and notice.log shows it
    Path replayHome = Files.createDirectories(dir.resolve("replay/zeek")).getParent();
    Files.writeString(replayHome.resolve("zeek/conn.log"), connLog);
    Files.writeString(replayHome.resolve("zeek/dns.log"), dnsLog);
    Path replayLog = dir.resolve("replay-log");
    var replay = FlowsentryProcess.runToEnd(replayHome, Duration.ofMinutes(3), "replay", "-c", config("replay", false, 0, 0).toString(),
        "--log-dir", replayLog.toString(), "zeek/conn.log", "zeek/dns.log");
    assertEquals(0, replay.exitCode(), replay.output());
    int replayAlarms = Files.readAllLines(replayLog.resolve("alarms.log")).size();

    Path home = Files.createDirectories(dir.resolve("single/zeek")).getParent();
    Files.writeString(home.resolve("zeek/dns.log"), dnsLog);
    int metricsPort = FlowsentryProcess.freeTcpPort();
    int udpPort = FlowsentryProcess.freeUdpPort();
    Path log = home.resolve("log");
    try (FlowsentryProcess single = FlowsentryProcess.startWith(home, metricsPort, JVM, "run", "-c",
        config("single", true, metricsPort, udpPort).toString())) {
      // the answers first, then the conn.log (its tailer waits for the file): as the cluster gets them
      await("the daemon learned the dns.log answers", Duration.ofMinutes(1), () -> answers(single) >= DNS_ANSWERS);
      Files.writeString(home.resolve("conn.log.tmp"), connLog);
      Files.move(home.resolve("conn.log.tmp"), home.resolve("zeek/conn.log"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      await("the daemon has read the conn.log", Duration.ofMinutes(2),
          () -> events(single, "source=\"zeek\"") >= EVENTS);
      await("the daemon wrote replay's " + replayAlarms + " alarms", Duration.ofMinutes(1),
          () -> lines(log.resolve("alarms.log")) >= replayAlarms);
      Thread.sleep(1_000);
      for (String f : FILES) assertEquals(sorted(replayLog.resolve(f)), sorted(log.resolve(f)), "single node and replay: " + f);
      awaitBound(udpPort);
      sendInStep(v9, udpPort, ipfix, udpPort, () -> {});
      await("the daemon has every record", Duration.ofMinutes(1),
          () -> events(single, "source=\"netflow9\"") >= v9.records()
              && events(single, "source=\"ipfix\"") >= ipfix.records());
      assertEquals(v9.records(), events(single, "source=\"netflow9\""), "v9 records");
      assertEquals(ipfix.records(), events(single, "source=\"ipfix\""), "IPFIX records");
      assertEquals(0, single.terminate(Duration.ofSeconds(30)), "the daemon's exit code"); // its writer drains first
    }
    return log;
  }

  private void cluster(List<List<String>> split, String dnsLog, SyntheticExporter v9, SyntheticExporter ipfix, Path reference,
      int connAlarms, int expectedAlarms) throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")))) {
      bootstrap = broker.bootstrapServers();
      broker.createTopics(Map.of("flowsentry.flows.v1", 4, "flowsentry.dns.v1", 2, "flowsentry.alarms.v1", 4));
      List<FlowsentryProcess> all = new ArrayList<>();
      try {
        FlowsentryProcess writer = role(all, "writer", "alarm-writer", false, 0);
        FlowsentryProcess analyzer1 = role(all, "analyzer-1", "analyzer", false, 0);
        FlowsentryProcess analyzer2 = role(all, "analyzer-2", "analyzer", false, 0);
        // collector-1 also follows the dns.log; every analyzer learns its answers before the first connection
        Files.createDirectories(dir.resolve("collector-1/zeek"));
        Files.writeString(dir.resolve("collector-1/zeek/dns.log"), dnsLog);
        int udp1 = FlowsentryProcess.freeUdpPort();
        FlowsentryProcess collector1 = role(all, "collector-1", "collector", true, udp1);
        int udp2 = FlowsentryProcess.freeUdpPort();
        role(all, "collector-2", "collector", true, udp2);
        FlowsentryProcess analyzer3 = null;
        for (FlowsentryProcess a : List.of(analyzer1, analyzer2)) {
          await("an analyzer learned the dns.log answers", Duration.ofMinutes(1), () -> answers(a) >= DNS_ANSWERS);
        }
        Path out = dir.resolve("writer/log/alarms.log");
        int perChunk = (EVENTS + CHUNKS - 1) / CHUNKS;
        for (int c = 0; c < CHUNKS; c++) {
          appendChunk(split, c, perChunk);
          Thread.sleep(1_500);
          if (c == 2) {
            System.out.printf("kill -9 analyzer-1 with %d of %d alarms written%n", lines(out), expectedAlarms);
            analyzer1.kill9();
            Thread.sleep(2_000);
            analyzer1 = role(all, "analyzer-1", "analyzer", false, 0); // the same state_dir, as a supervisor restarts it
          } else if (c == 5) {
            System.out.printf("analyzer-3 joins with %d of %d alarms written%n", lines(out), expectedAlarms);
            analyzer3 = role(all, "analyzer-3", "analyzer", false, 0);
          } else if (c == 8) {
            System.out.printf("kill -9 alarm-writer with %d of %d alarms written%n", lines(out), expectedAlarms);
            writer.kill9();
            writer = role(all, "writer", "alarm-writer", false, 0);
          }
        }
        // the conn.log part analyzed before the routers' packets, in the order the single node read them
        await("the writer has the conn.log part's " + connAlarms + " alarms", Duration.ofMinutes(4), () -> lines(out) >= connAlarms);
        List<FlowsentryProcess> analyzers = List.of(analyzer1, analyzer2, analyzer3);
        await("the analyzers lag nothing", Duration.ofMinutes(1), () -> lag(analyzers) == 0);
        Thread.sleep(2_000);
        assertEquals(0, lag(analyzers), "lag once settled");
        awaitBound(udp1);
        awaitBound(udp2);
        sendInStep(v9, udp1, ipfix, udp2, () -> {
          System.out.printf("kill -9 analyzer-2 amid the NetFlow part with %d of %d alarms written%n", lines(out), expectedAlarms);
          analyzer2.kill9();
          role(all, "analyzer-2", "analyzer", false, 0);
        });
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
        System.out.printf("%d conn.log events and %d NetFlow v9/IPFIX records, %d alarms in each file as the single node wrote them"
            + " (%d from the conn.log, as replay wrote them); analyzer-3 restored %.0f changelog records%n",
            EVENTS, v9.records() + ipfix.records(), expectedAlarms, connAlarms, restored);
      } catch (AssertionError | Exception e) {
        StringBuilder logs = new StringBuilder();
        for (FlowsentryProcess p : all) {
          logs.append("\n--- ").append(p.isAlive() ? "running" : "ended").append(":\n").append(tail(p.output(), 3000));
          if (p.isAlive()) logs.append("\n").append(counts(p));
        }
        throw new AssertionError(e.getMessage() + logs, e);
      } finally {
        for (FlowsentryProcess p : all) p.close();
      }
    }
  }

  /**
   * Sends both routers' packets in step, packet n of each before packet n+1 of either (paced, so
   * a receiver's socket buffer never fills); {@code halfway} runs when half are sent.
   */
  private static void sendInStep(SyntheticExporter a, int portA, SyntheticExporter b, int portB, ThrowingRunnable halfway)
      throws Exception {
    for (int n = 0; n < PACKETS; n++) {
      a.send(portA, n, n + 1);
      b.send(portB, n, n + 1);
      if (n % 10 == 9) Thread.sleep(10);
      if (n == PACKETS / 2) halfway.run();
    }
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Waits until a receiver holds {@code port}: a datagram sent before the socket is bound would be lost. */
  private static void awaitBound(int port) throws InterruptedException {
    await("UDP port " + port + " is bound", Duration.ofMinutes(1), () -> {
      try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return false;
      } catch (SocketException taken) {
        return true;
      }
    });
  }

  /** The counts that say where events stopped: received, published, analyzed, alarmed. */
  private static String counts(FlowsentryProcess p) {
    try {
      return p.get("/metrics").body().lines()
          .filter(l -> l.matches("flowsentry_(events_total|cluster_published_total|cluster_publish_dropped_total"
              + "|cluster_alarms_produced_total|decode_errors_total|packets_dropped_total|templates|alarms_total|suppressed_total)[{ ].*"))
          .collect(java.util.stream.Collectors.joining("\n"));
    } catch (IOException e) {
      return "(no /metrics: " + e.getMessage() + ")";
    }
  }

  /**
   * The dns.log of the traffic's sensor, in Zeek's JSON: two thirds of the restricted hosts'
   * (host, Internet address) pairs resolved at {@code tsMicros}, valid for the whole test (TTL
   * a day), each address from a name of its own under cdn.example.net.
   */
  private static String dnsLog(long tsMicros) {
    StringBuilder b = new StringBuilder();
    int n = 0;
    for (int host = 1; host <= 24; host++) {
      for (int remote = 1; remote <= 12; remote++) {
        if ((host * 7 + remote) % 3 == 0) continue;
        b.append(String.format(java.util.Locale.ROOT, "{\"_path\":\"dns\",\"ts\":%d.%06d,\"uid\":\"D%d\",\"id.orig_h\":\"192.168.4.%d\","
            + "\"id.orig_p\":%d,\"id.resp_h\":\"192.168.1.53\",\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"r%d.cdn.example.net\","
            + "\"qtype_name\":\"A\",\"rcode_name\":\"NOERROR\",\"answers\":[\"203.0.113.%d\"],\"TTLs\":[86400.0]}%n",
            tsMicros / 1_000_000, tsMicros % 1_000_000 + n, n, host, 40_000 + n, remote, remote));
        n++;
      }
    }
    assertEquals(DNS_ANSWERS, n);
    return b.toString();
  }

  private static double answers(FlowsentryProcess p) {
    try {
      return p.metric("flowsentry_passive_dns_answers_total");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Events the single node analyzed from one source; metric() fails when the series is missing. */
  private static double events(FlowsentryProcess p, String sourceLabel) {
    try {
      return p.metric("flowsentry_events_total", sourceLabel);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The flows topic's records not yet analyzed, over every live analyzer (one that owns no partition exports none). */
  private static double lag(List<FlowsentryProcess> analyzers) {
    double sum = 0;
    Pattern sample = Pattern.compile("^flowsentry_cluster_consumer_lag\\{[^}]*}\\s+(\\S+)$", Pattern.MULTILINE);
    for (FlowsentryProcess p : analyzers) {
      Matcher m;
      try {
        m = sample.matcher(p.get("/metrics").body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      while (m.find()) sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  private FlowsentryProcess role(List<FlowsentryProcess> all, String name, String role, boolean zeek, int udpPort) throws Exception {
    int port = FlowsentryProcess.freeTcpPort();
    Path config = config(name, zeek, port, udpPort);
    FlowsentryProcess p = FlowsentryProcess.startWith(config.getParent(), port, JVM, "run", "--role", role, "-c", config.toString());
    all.add(p);
    return p;
  }

  /** @param udpPort where it receives NetFlow/IPFIX on 127.0.0.1; 0 = nowhere */
  private Path config(String name, boolean zeek, int metricsPort, int udpPort) throws IOException {
    Path home = Files.createDirectories(dir.resolve(name));
    String inputs = !zeek ? "  zeek: []\n" : """
          zeek:
            - path: zeek/conn.log
              start_at: beginning
              poll_interval: 100ms
          zeek_dns:
            - path: zeek/dns.log
              start_at: beginning
              poll_interval: 100ms
        """;
    String listen = udpPort == 0 ? "[]" : "[\"127.0.0.1:" + udpPort + "\"]";
    // the single node on one receiving thread analyzes the datagrams in the order sent; with two,
    // one router's packets may run a lull (1-2 minutes of its clock) ahead of the other's, more
    // than SuppressionTable.LATE_ALLOWANCE (real routers' clocks run at the wall clock's pace)
    if (name.equals("single")) listen += "\n    sockets_per_address: 1";
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
            listen: %s
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
            - name: cdn-allowed
              restricted_networks: [192.168.4.0/24]
              suppress_for: 60s
              allowed_domains: ["*.cdn.example.net"]
              max_alarms_per_minute: 0
        outputs:
          log_dir: %s
        state_dir: %s
        metrics:
          listen: 127.0.0.1:%d
        %s""".formatted(listen, inputs, home.resolve("log"), home.resolve("state"), metricsPort, cluster));
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
