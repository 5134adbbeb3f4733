package io.flowsentry.app.e2e;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.testing.PcapWriter;
import io.flowsentry.collector.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service as an operator runs it: the packaged jar as a process, real softflowd
 * exports over loopback UDP, a conn.log being appended, alarms in all three outputs, counters
 * on /metrics; then SIGHUP with a new exception (suppression survives), then SIGTERM and a
 * restart (no re-alarm, no re-read).
 */
class DaemonEndToEndIT {
  private static final int TCP = 6;
  private static final int SYN = 0x02, SYN_ACK = 0x12, ACK = 0x10, FIN_ACK = 0x11;

  @TempDir Path dir;
  private int udpPort;
  private int metricsPort;
  private final long now = System.currentTimeMillis() * 1000;

  @Test
  void alarmsReloadsAndRestartsWithoutLosingOrRepeating() throws Exception {
    Path softflowd = SharedTestData.tool("softflowd");
    udpPort = FlowsentryProcess.freeUdpPort();
    metricsPort = FlowsentryProcess.freeTcpPort();
    Path config = dir.resolve("flowsentry.yml");
    Files.writeString(config, config(""));
    Path connLog = dir.resolve("zeek/conn.log");
    Files.createDirectories(connLog.getParent());

    try (FlowsentryProcess fs = FlowsentryProcess.start(dir, config, metricsPort)) {
      // --- traffic: flows through softflowd (NetFlow v9), lines through conn.log
      Path pcap1 = dir.resolve("one.pcap");
      try (PcapWriter w = new PcapWriter(pcap1)) {
        tcpSession(w, now, "192.168.4.7", 40000, "203.0.113.9", 443);     // A: alarms
        tcpSession(w, now + 10, "192.168.4.7", 40001, "198.51.100.20", 25); // B: alarms (excepted after reload)
        tcpSession(w, now + 20, "192.168.5.5", 40002, "203.0.113.9", 443);  // not restricted
        tcpSession(w, now + 30, "192.168.4.8", 40003, "192.168.1.1", 80);   // responder is local
        tcpSession(w, now + 40, "203.0.113.50", 51000, "192.168.4.10", 443); // Internet client to our web server
      }
      export(softflowd, pcap1, "9");
      appendConnLog(connLog, true,
          line(now + 50, "CAAAAA1", "192.168.4.20", 53000, "8.8.8.8", 53, "udp"),   // Z1: alarms
          line(now + 60, "CAAAAA2", "192.168.4.21", 53001, "10.1.1.1", 445, "tcp")); // local

      Path alarms = dir.resolve("log/alarms.log");
      await("3 alarms", Duration.ofSeconds(30), () -> lines(alarms).size() >= 3);
      Thread.sleep(500); // nothing more may come: give stragglers a moment, then check exactly
      List<String> first = lines(alarms);
      assertEquals(3, first.size(), "alarms:\n" + String.join("\n", first) + "\n" + fs.output());
      assertTrue(first.stream().anyMatch(l -> l.contains(" 192.168.4.7/") && l.contains(" > 203.0.113.9/https : Restricted Outgoing TCP Connection")), first.toString());
      assertTrue(first.stream().anyMatch(l -> l.contains(" > 198.51.100.20/smtp ")), first.toString());
      assertTrue(first.stream().anyMatch(l -> l.contains(" 192.168.4.20/") && l.contains(" > 8.8.8.8/domain : Restricted Outgoing UDP Connection")), first.toString());
      assertEquals(first, lines(dir.resolve("log/restricted-outgoing.log")));
      List<String> notices = lines(dir.resolve("log/notice.log"));
      assertEquals(3, notices.size());
      assertTrue(notices.stream().anyMatch(n -> n.contains("\"uid\":\"CAAAAA1\"") && n.contains("\"note\":\"RestrictedOutgoing::Unexpected_Outgoing_Connection\"")), notices.toString());

      assertEquals(3, fs.metric("flowsentry_alarms_total", "policy=\"restricted-outgoing\""));
      assertEquals(10, fs.metric("flowsentry_flow_records_total", "protocol=\"netflow9\""), "flow records: both directions of 5 sessions");
      assertTrue(fs.metric("flowsentry_packets_received_total", "protocol=\"netflow9\"") >= 1, "packets");
      assertEquals(2, fs.metric("flowsentry_zeek_lines_total"));
      assertEquals(2, fs.metric("flowsentry_events_total", "source=\"zeek\""));
      assertEquals(2, fs.metric("flowsentry_suppressed_total"), "the reply halves of A and B are suppressed");
      // a per-exporter gauge: it appears with the next refresh (every second) after the exporter's first datagram
      await("softflowd's template is known", Duration.ofSeconds(10), () -> metricQuiet(fs, "flowsentry_templates") >= 1);

      // --- SIGHUP: a new exception takes effect; suppression of A survives the reload
      Files.writeString(config, config("""
                allowed_services:
                  - { network: 192.168.4.7/32, port: 25/tcp }
          """));
      // FlowsentryProcess.start resets SIGHUP to its default, so the daemon can always handle it
      assertFalse(output(fs).contains("SIGHUP is ignored"), fs.output());
      fs.signal("HUP");
      try {
        await("reload logged", Duration.ofSeconds(15), () -> output(fs).contains("configuration reloaded"));
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; the daemon's output:\n" + fs.output(), e);
      }
      double suppressedBefore = fs.metric("flowsentry_suppressed_total");
      Path pcap2 = dir.resolve("two.pcap");
      try (PcapWriter w = new PcapWriter(pcap2)) {
        tcpSession(w, now + 1_000_000, "192.168.4.7", 40011, "198.51.100.20", 25); // excepted now
        tcpSession(w, now + 1_000_010, "192.168.4.7", 40000, "203.0.113.9", 443);  // A again: suppressed
        tcpSession(w, now + 1_000_020, "192.168.4.7", 40012, "203.0.113.77", 22);  // F: alarms
      }
      export(softflowd, pcap2, "10");
      await("F alarms", Duration.ofSeconds(30), () -> lines(alarms).size() >= 4);
      // both halves of A again, and F's reply
      await("A and F's reply suppressed", Duration.ofSeconds(10), () -> metricQuiet(fs, "flowsentry_suppressed_total") >= suppressedBefore + 3);
      Thread.sleep(500);
      List<String> second = lines(alarms);
      assertEquals(4, second.size(), String.join("\n", second));
      assertEquals(suppressedBefore + 3, fs.metric("flowsentry_suppressed_total"));
      assertTrue(second.get(3).contains(" > 203.0.113.77/ssh "), second.get(3));

      // --- SIGTERM: exits 0, flushed, checkpointed, snapshot saved
      assertEquals(0, fs.terminate(Duration.ofSeconds(20)), fs.output());
    }

    try (FlowsentryProcess fs = FlowsentryProcess.start(dir, config, metricsPort)) {
      Path pcap3 = dir.resolve("three.pcap");
      try (PcapWriter w = new PcapWriter(pcap3)) {
        tcpSession(w, now + 2_000_000, "192.168.4.7", 40000, "203.0.113.9", 443); // A again, within 60 s
      }
      export(softflowd, pcap3, "5");
      await("A seen after restart", Duration.ofSeconds(30), () -> metricQuiet(fs, "flowsentry_suppressed_total") >= 2);
      assertEquals(2, fs.metric("flowsentry_suppressed_total"), "both halves of A are still suppressed");
      assertEquals(0, fs.metric("flowsentry_zeek_lines_total"), "conn.log lines are not read again");
      appendConnLog(connLog, false, line(now + 2_000_100, "CAAAAA3", "192.168.4.22", 53002, "9.9.9.9", 53, "udp"));
      await("new conn.log line read", Duration.ofSeconds(15), () -> metricQuiet(fs, "flowsentry_zeek_lines_total") == 1);
      await("its alarm", Duration.ofSeconds(15), () -> lines(dir.resolve("log/alarms.log")).size() == 5);
      assertEquals(0, fs.terminate(Duration.ofSeconds(20)));
    }
  }

  private String config(String exceptions) {
    return """
        inputs:
          netflow:
            listen: ["127.0.0.1:%d"]
          zeek:
            - path: zeek/conn.log
              start_at: beginning
              poll_interval: 100ms
        site:
          local_networks: [192.168.0.0/16, 10.0.0.0/8]
        policies:
          restricted_outgoing:
            - name: restricted-outgoing
              restricted_networks: [192.168.4.0/24]
              suppress_for: 60s
        %s
        outputs:
          log_dir: log
        state_dir: state
        metrics:
          listen: 127.0.0.1:%d
        """.formatted(udpPort, exceptions.stripTrailing(), metricsPort);
  }

  /** A complete TCP conversation: SYN, SYN-ACK, data, FIN. */
  private static void tcpSession(PcapWriter w, long t, String client, int cport, String server, int sport) throws IOException {
    w.packet(t, client, cport, server, sport, TCP, SYN, 0);
    w.packet(t + 1000, server, sport, client, cport, TCP, SYN_ACK, 0);
    w.packet(t + 2000, client, cport, server, sport, TCP, ACK, 100);
    w.packet(t + 3000, server, sport, client, cport, TCP, ACK, 1000);
    w.packet(t + 4000, client, cport, server, sport, TCP, FIN_ACK, 0);
    w.packet(t + 5000, server, sport, client, cport, TCP, FIN_ACK, 0);
  }

  /**
   * softflowd reads the capture and exports every flow to our UDP port, then exits. Paths are
   * relative to its working directory, and no -p/-c: with a long -r path, or with its pid and
   * control files in the capture's folder, softflowd 1.1.0 never exits after the capture's end.
   */
  private void export(Path softflowd, Path pcap, String version) throws Exception {
    Process p = new ProcessBuilder(softflowd.toString(), "-r", pcap.getFileName().toString(), "-n", "127.0.0.1:" + udpPort,
        "-v", version, "-d")
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("softflowd.out").toFile()).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "softflowd finished");
  }

  private static String line(long micros, String uid, String oh, int op, String rh, int rp, String proto) {
    return String.join("\t", String.format("%d.%06d", micros / 1_000_000, micros % 1_000_000), uid, oh,
        Integer.toString(op), rh, Integer.toString(rp), proto, "-", "0.5", "100", "200", "SF", "-", "-", "0",
        "ShADadfF", "3", "244", "3", "344", "-");
  }

  private static void appendConnLog(Path log, boolean header, String... lines) throws IOException {
    StringBuilder sb = new StringBuilder();
    if (header) {
      sb.append("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n")
          .append("#open\t2026-11-28-00-00-00\n")
          .append("#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n")
          .append("#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n");
    }
    for (String l : lines) sb.append(l).append('\n');
    Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String output(FlowsentryProcess fs) {
    try {
      return fs.output();
    } catch (IOException e) {
      return "";
    }
  }

  /** The metric, or -1 while the scrape fails or the series does not exist yet (for polling). */
  private static double metricQuiet(FlowsentryProcess fs, String name) {
    try {
      return fs.metric(name);
    } catch (IOException | AssertionError e) {
      return -1;
    }
  }
}
