package io.flowsentry.collector.sflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.netflow.LoopbackReceiver;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.Nfcapd;
import io.flowsentry.collector.pipeline.CollectorWiring;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.testing.PcapWriter;
import io.flowsentry.collector.testing.SharedTestData;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real sFlow agent against the collector and against nfdump's sFlow collector: pmacctd's sfprobe
 * plugin samples a synthetic capture (1 in {@link #RATE}) and exports sFlow v5 to sfcapd, which
 * repeats every datagram it receives to our {@link DatagramPipeline} (sfcapd {@code -R}), so both
 * decode the very same datagrams in one run. Every sample sfcapd stores must come out of ours with
 * the same endpoints, protocol and scaled packets; scaled bytes differ by the frame's Ethernet
 * header and FCS per packet, which sfcapd counts (frame length) and flowsentry does not (IP length,
 * as NetFlow and IPFIX count octets).
 */
class SflowInteropTest {

  private static final int RATE = 4;
  /** Ethernet header (14) and frame check sequence (4): pmacctd reports frame length = captured frame + FCS. */
  private static final int FRAME_OVERHEAD = 18;

  @TempDir
  Path dir;

  @Test
  void pmacctdSfprobeSamplesTheSamePacketsForUsAndForSfcapd() throws Exception {
    Path pmacctd = SharedTestData.tool("pmacctd");
    Path pcap = writeTraffic(dir.resolve("traffic.pcap"));

    List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DatagramPipeline collector = CollectorWiring.real(events::add, registry, NetflowLimits.defaults());

    List<String> theirs = new ArrayList<>();
    try (LoopbackReceiver ours = new LoopbackReceiver(collector, registry); Nfcapd sfcapd = Nfcapd.sfcapd(dir, ours.port())) {
      Path config = dir.resolve("pmacctd.conf");
      Files.writeString(config, """
          daemonize: false
          pcap_savefile: %s
          plugins: sfprobe
          sfprobe_receiver: 127.0.0.1:%d
          sfprobe_agentip: 127.0.0.1
          sampling_rate: %d
          """.formatted(pcap, sfcapd.port(), RATE));
      Path log = dir.resolve("pmacctd.log");
      Process agent = new ProcessBuilder(pmacctd.toString(), "-f", config.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      assertTrue(agent.waitFor(Nfcapd.WAIT_MILLIS, TimeUnit.MILLISECONDS), () -> "pmacctd did not finish:\n" + read(log));
      // no exit status check: pmacctd 1.7.7 exits 1 or 0 at the end of a capture file, depending on whether its
      // core or its plugin notices the end first; what it exported is checked below
      assertTrue(read(log).contains("Exporting flows to [127.0.0.1]:" + sfcapd.port()), () -> "pmacctd exported nothing:\n" + read(log));
      for (String line : sfcapd.stopAndDump("%sa|%sp|%da|%dp|%pr|%ipkt|%ibyt")) {
        String[] f = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
        long packets = Long.parseLong(f[5]);
        theirs.add(canonical(Integer.parseInt(f[4]), f[0], Integer.parseInt(f[1]), f[2], Integer.parseInt(f[3]),
            packets, Long.parseLong(f[6]) - FRAME_OVERHEAD * packets));
      }
      String peers = "\npmacctd printed:\n" + read(log) + sfcapd.describe();
      assertTrue(theirs.size() > 20, () -> "sfcapd stored " + theirs.size() + " samples" + peers);
      ours.await(events::size, theirs.size(), "sampled packets decoded by flowsentry" + peers);
    }

    List<String> mine = new ArrayList<>();
    for (ConnectionEvent e : events) {
      assertEquals(EventSource.SFLOW, e.source());
      assertEquals(RATE, e.samplingRate());
      boolean forward = e.origPkts() > 0;
      mine.add(forward
          ? canonical(e.proto(), e.origH().toString(), e.origP(), e.respH().toString(), e.respP(), e.origPkts(), e.origIpBytes())
          : canonical(e.proto(), e.respH().toString(), e.respP(), e.origH().toString(), e.origP(), e.respPkts(), e.respIpBytes()));
    }
    Collections.sort(theirs);
    Collections.sort(mine);
    assertEquals(theirs, mine);
    long totalPackets = events.stream().mapToLong(e -> Math.max(e.origPkts(), 0) + Math.max(e.respPkts(), 0)).sum();
    assertEquals(theirs.size() * (long) RATE, totalPackets, "every sample stands for " + RATE + " packets");
    for (ConnectionEvent e : events) {
      if (e.proto() == 6 && e.directionConfidence() == DirectionConfidence.EXPORTER) {
        assertTrue(e.origH().toString().startsWith("10.0.0."), () -> "a handshake packet names the client: " + e);
      }
    }
    assertEquals(theirs.size(), count(registry, "flowsentry.flow.records"));
    assertEquals(0, count(registry, "flowsentry.decode.errors"));
    assertEquals(0, count(registry, "flowsentry.sequence.gaps"));
    assertEquals(0, count(registry, "flowsentry.sflow.samples.lost"));
  }

  /** TCP conversations with handshakes and data both ways, and DNS over UDP: 240 packets. */
  private static Path writeTraffic(Path file) throws IOException {
    long t = 1_700_000_000_000_000L;
    try (PcapWriter w = new PcapWriter(file)) {
      for (int i = 0; i < 40; i++) {
        String client = "10.0.0." + (1 + i);
        String server = "198.51.100." + (1 + i % 7);
        int cp = 40000 + i;
        w.packet(t += 1000, client, cp, server, 443, 6, 0x02, 0);
        w.packet(t += 1000, server, 443, client, cp, 6, 0x12, 0);
        w.packet(t += 1000, client, cp, server, 443, 6, 0x18, 100 + i);
        w.packet(t += 1000, server, 443, client, cp, 6, 0x18, 1200 + i);
        w.packet(t += 1000, client, cp + 5000, "192.0.2.53", 53, 17, 0, 30 + i);
        w.packet(t += 1000, "192.0.2.53", 53, client, cp + 5000, 17, 0, 90 + i);
      }
    }
    return file;
  }

  /** One sampled packet's direction as sent, with its scaled packets and IP bytes. */
  private static String canonical(int proto, String src, int sp, String dst, int dp, long packets, long bytes) {
    return "proto " + proto + " " + src + ":" + sp + " > " + dst + ":" + dp + " packets " + packets + " bytes " + bytes;
  }

  private static double count(SimpleMeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log) : "(no output)";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
