package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.pipeline.CollectorWiring;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.normalize.ServicePorts;
import io.flowsentry.collector.testing.PcapWriter;
import io.flowsentry.collector.testing.SharedTestData;
import io.flowsentry.collector.udp.ListenAddress;
import io.flowsentry.collector.udp.ProcNetUdp;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.udp.UdpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real exporter against the collector and against nfdump's collector: softflowd reads a
 * synthetic capture and exports its flows over loopback, in one run, to both our
 * {@link DatagramPipeline} (behind the live Netty {@link UdpServer}) and nfcapd. Every flow nfdump stores must
 * come out of ours with the same endpoints, protocol, packets and bytes.
 */
class CollectorInteropTest {

  @TempDir
  Path dir;

  /** softflowd's export version, and for IPFIX optionally {@code -b}: RFC 5103 biflows. */
  @ParameterizedTest(name = "softflowd -v {0}")
  @ValueSource(strings = {"5", "9", "10", "10 -b"})
  void softflowdExportsTheSameFlowsToUsAndToNfcapd(String exportOptions) throws Exception {
    String version = exportOptions.split(" ")[0];
    Path softflowd = SharedTestData.tool("softflowd");
    Path pcap = writeTraffic(dir.resolve("traffic.pcap"));

    List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    DatagramPipeline collector = CollectorWiring.real(events::add, registry, NetflowLimits.defaults());

    List<String> theirs;
    long theirGaps;
    try (Receiver ours = new Receiver(collector, registry); Nfcapd nfcapd = Nfcapd.start(dir)) {
      List<String> command = new ArrayList<>(List.of(softflowd.toString(), "-r", pcap.toString(), "-d", "-v"));
      command.addAll(List.of(exportOptions.split(" ")));
      // one -n with a comma-separated list: softflowd sends every datagram to each destination
      command.addAll(List.of("-n", "127.0.0.1:" + ours.port() + ",127.0.0.1:" + nfcapd.port()));
      Process exporter = new ProcessBuilder(command).redirectErrorStream(true).start();
      assertTrue(exporter.waitFor(Nfcapd.WAIT_MILLIS, TimeUnit.MILLISECONDS), "softflowd did not finish");
      String report = new String(exporter.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      long sent = exportPackets(report);
      assertTrue(sent > 0, () -> "softflowd exported nothing:\n" + report);
      ours.await(sent);
      theirs = new ArrayList<>();
      for (String line : nfcapd.stopAndDump("%sa|%sp|%da|%dp|%pr|%ipkt|%ibyt|%opkt|%obyt")) {
        String[] f = Arrays.stream(line.split("\\|")).map(String::strip).toArray(String[]::new);
        theirs.add(canonical(Integer.parseInt(f[4]),
            new Side(f[0], Integer.parseInt(f[1]), Long.parseLong(f[5]), Long.parseLong(f[6])),
            new Side(f[2], Integer.parseInt(f[3]), Long.parseLong(f[7]), Long.parseLong(f[8]))));
      }
      theirGaps = nfcapd.sequenceFailures();
    }

    List<String> mine = new ArrayList<>();
    for (ConnectionEvent e : events) mine.add(canonical(e));
    Collections.sort(theirs);
    Collections.sort(mine);
    assertTrue(theirs.size() > 30, "nfdump saw " + theirs.size() + " flows");
    assertEquals(theirs, mine);
    for (ConnectionEvent e : events) {
      if (ServicePorts.isService(e.origP()) || ServicePorts.isService(e.respP())) {
        assertTrue(ServicePorts.isService(e.respP()) && !ServicePorts.isService(e.origP()),
            () -> "a server came out as originator: " + e);
      }
    }
    String label = ExportProtocol.ofVersion(Integer.parseInt(version)).label();
    assertEquals(theirs.size(), registry.find("flowsentry.flow.records").tag("protocol", label).counters().stream()
        .mapToDouble(Counter::count).sum());
    assertEquals(0, registry.find("flowsentry.decode.errors").counters().stream().mapToDouble(Counter::count).sum());
    // softflowd numbers IPFIX messages by the records sent up to and including each message (RFC 7011:
    // before it), so nfdump counts sequence failures there too; we count a gap where it does, and
    // a late message as reordered rather than as a second gap
    double ourGaps = registry.find("flowsentry.sequence.gaps").counters().stream().mapToDouble(Counter::count).sum();
    assertTrue(theirGaps == 0 ? ourGaps == 0 : ourGaps >= 1 && ourGaps <= theirGaps,
        "sequence gaps: ours " + ourGaps + ", nfdump " + theirGaps);
  }

  /**
   * TCP conversations to web and mail servers (handshake, data both ways, FIN), web servers that
   * sort below their clients, DNS over UDP, and UDP between two ephemeral ports.
   */
  private static Path writeTraffic(Path file) throws IOException {
    long t = 1_700_000_000_000_000L;
    try (PcapWriter w = new PcapWriter(file)) {
      for (int i = 0; i < 40; i++) {
        String client = "10.0.0." + (1 + i);
        String server = "198.51.100." + (1 + i % 7);
        int cp = 40000 + i, sp = i % 3 == 0 ? 25 : 443;
        w.packet(t += 1000, client, cp, server, sp, 6, 0x02, 0);
        w.packet(t += 1000, server, sp, client, cp, 6, 0x12, 0);
        w.packet(t += 1000, client, cp, server, sp, 6, 0x18, 100 + i);
        for (int k = 0; k <= i % 4; k++) w.packet(t += 1000, server, sp, client, cp, 6, 0x18, 1200 + k);
        w.packet(t += 1000, client, cp, server, sp, 6, 0x11, 0);
        w.packet(t += 1000, server, sp, client, cp, 6, 0x11, 0);
        w.packet(t += 1000, client, cp + 5000, "192.0.2.53", 53, 17, 0, 30 + i);
        w.packet(t += 1000, "192.0.2.53", 53, client, cp + 5000, 17, 0, 90 + i);
        // a web server below its client in address order (softflowd -b puts the lower address first)
        String farClient = "203.0.113." + (100 + i);
        w.packet(t += 1000, farClient, 50000 + i, "10.0.1.1", 443, 6, 0x02, 0);
        w.packet(t += 1000, "10.0.1.1", 443, farClient, 50000 + i, 6, 0x12, 0);
        w.packet(t += 1000, "10.0.1.1", 443, farClient, 50000 + i, 6, 0x18, 1400);
        if (i % 5 == 0) {
          w.packet(t += 1000, client, 50000 + i, "203.0.113.7", 60000 + i, 17, 0, 500);
          w.packet(t += 1000, "203.0.113.7", 60000 + i, client, 50000 + i, 17, 0, 700);
        }
      }
    }
    return file;
  }

  /** One endpoint of a flow and the packets and bytes it sent (0 when unknown). */
  private record Side(String address, int port, long packets, long bytes) implements Comparable<Side> {
    @Override
    public int compareTo(Side o) {
      return toString().compareTo(o.toString());
    }
  }

  /** Both endpoints in a fixed order, each with what it sent: what both collectors must agree on. */
  private static String canonical(int proto, Side a, Side b) {
    return "proto " + proto + " " + (a.compareTo(b) <= 0 ? a + " " + b : b + " " + a);
  }

  private static String canonical(ConnectionEvent e) {
    return canonical(e.proto(),
        new Side(e.origH().toString(), e.origP(), Math.max(e.origPkts(), 0), Math.max(e.origIpBytes(), 0)),
        new Side(e.respH().toString(), e.respP(), Math.max(e.respPkts(), 0), Math.max(e.respIpBytes(), 0)));
  }

  private static long exportPackets(String softflowdReport) {
    Matcher m = Pattern.compile("Flows exported: \\d+ \\(\\d+ records\\) in (\\d+) packets").matcher(softflowdReport);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** The live Netty UDP server on a loopback port, feeding the collector and counting datagrams. */
  private static final class Receiver implements AutoCloseable {
    private final UdpServer server;
    private static final ProcNetUdp KERNEL = ProcNetUdp.system();
    private final AtomicLong datagrams = new AtomicLong();

    Receiver(DatagramPipeline collector, SimpleMeterRegistry registry) throws IOException {
      UdpInputConfig config = new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), 4 << 20, 1, null, null, null);
      server = new UdpServer(config, (sender, content, received) -> {
        collector.onDatagram(sender, content, received);
        datagrams.incrementAndGet();
      }, registry);
      server.start();
    }

    int port() {
      return server.boundAddresses().getFirst().getPort();
    }

    /** Waits until {@code count} datagrams were handled or the kernel dropped some (then they never come). */
    void await(long count) throws InterruptedException {
      ListenAddress address = new ListenAddress(IpAddr.ofV4(0x7F00_0001), port());
      long deadline = System.currentTimeMillis() + Nfcapd.WAIT_MILLIS;
      while (datagrams.get() + KERNEL.drops(address) < count && System.currentTimeMillis() < deadline) Thread.sleep(10);
      assertEquals(0, KERNEL.drops(address), "datagrams the kernel dropped before our collector read them");
      assertEquals(count, datagrams.get(), "datagrams received from softflowd");
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
