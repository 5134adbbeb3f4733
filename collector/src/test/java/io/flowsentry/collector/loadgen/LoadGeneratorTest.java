package io.flowsentry.collector.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.pipeline.CollectorWiring;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.udp.ListenAddress;
import io.flowsentry.collector.udp.ProcNetUdp;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.udp.UdpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import io.netty.channel.epoll.Epoll;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LoadGeneratorTest {

  enum Sender { EPOLL_BATCHES, NIO }

  static Stream<Arguments> versionsAndSenders() {
    return Stream.of(ExportVersion.values()).flatMap(v -> Stream.of(Sender.values()).map(s -> Arguments.of(v, s)));
  }

  @ParameterizedTest
  @MethodSource("versionsAndSenders")
  void aReceiverOnLoopbackGetsExactlyTheTotalsPrinted(ExportVersion version, Sender kind) throws Exception {
    Assumptions.assumeTrue(kind == Sender.NIO || Epoll.isAvailable(), "native epoll is not available here");
    ExportPacketReader reader = new ExportPacketReader();
    UdpInputConfig config = new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), 4 << 20, 1, null, null, null);
    LongAdder handled = new LongAdder();
    try (UdpServer server = new UdpServer(config, (sender, content, millis) -> {
      reader.read(content);
      handled.increment();
    }, new SimpleMeterRegistry())) {
      server.start();
      int port = server.boundAddresses().get(0).getPort();
      LoadSpec spec = LoadGenerator.parse(new String[] {
          "--version", version.cliName(), "--target", "127.0.0.1:" + port, "--rate", "20000",
          "--packets", "300", "--seconds", "5", "--flows", "1000", "--seed", "9", "--template-every", "50"});
      LoadGenerator.Result result;
      try (PacketSender sender = kind == Sender.NIO ? new NioPacketSender(spec.target(), null) : new EpollBatchSender(spec.target(), null)) {
        result = LoadGenerator.run(spec, sender);
      }
      ExportTotals sent = result.totals();
      assertEquals(300, sent.datagrams());
      awaitEveryDatagramRead(port, handled::sum, sent.datagrams());
      assertEquals(sent.records(), reader.records.sum());
      assertEquals(sent.octets(), reader.octets.sum());
      assertEquals(sent.packets(), reader.packets.sum());
      assertTrue(result.describe(spec).endsWith(sent.toString()));
    }
  }

  /**
   * Several exporters: each its own source address, sequence numbers and templates, so the
   * collector sees no gap; what the warm-up sent never reaches the target (totals are exact).
   */
  @ParameterizedTest
  @MethodSource("versions")
  void severalExportersSendFromTheirOwnLoopbackAddresses(ExportVersion version) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    LongAdder events = new LongAdder();
    LongAdder datagrams = new LongAdder();
    DatagramPipeline collector = CollectorWiring.real(e -> events.increment(), registry, NetflowLimits.defaults());
    Set<InetAddress> senders = ConcurrentHashMap.newKeySet();
    UdpInputConfig config = new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), 4 << 20, 2, null, null, null);
    try (UdpServer server = new UdpServer(config, (sender, content, millis) -> {
      senders.add(sender.getAddress());
      collector.onDatagram(sender, content, millis);
      datagrams.increment();
    }, registry)) {
      server.start();
      int port = server.boundAddresses().get(0).getPort();
      LoadSpec spec = LoadGenerator.parse(new String[] {
          "--version", version.cliName(), "--target", "127.0.0.1:" + port, "--rate", "20000", "--packets", "400",
          "--flows", "1000", "--template-every", "50", "--exporters", "4", "--warmup", "0.3"});
      ExportTotals sent = LoadGenerator.run(spec).totals();
      awaitEveryDatagramRead(port, datagrams::sum, sent.datagrams());
      assertEquals(sent.records(), events.sum());
      assertEquals(Set.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2"),
          InetAddress.getByName("127.0.0.3"), InetAddress.getByName("127.0.0.4")), senders);
      assertEquals(0, registry.find("flowsentry.sequence.gaps").counters().stream().mapToDouble(c -> c.count()).sum());
    }
  }

  /**
   * Waits (bounded) until every datagram sent to 127.0.0.1:{@code port} was either handled or
   * dropped by the kernel (/proc/net/udp), however slow a loaded machine is, then requires that
   * none was dropped: only then can the totals be compared exactly. The handler counts a
   * datagram after handling it, so the totals are complete once the count is reached.
   */
  private static void awaitEveryDatagramRead(int port, LongSupplier handled, long sent) throws InterruptedException {
    ListenAddress address = new ListenAddress(IpAddr.ofV4(0x7F00_0001), port);
    ProcNetUdp kernel = ProcNetUdp.system();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (handled.getAsLong() + kernel.drops(address) < sent && System.nanoTime() < deadline) Thread.sleep(5);
    assertEquals(0, kernel.drops(address), () -> "the kernel dropped datagrams for " + address + " (receive buffer full)");
    assertEquals(sent, handled.getAsLong(), "datagrams handled");
  }

  static Stream<ExportVersion> versions() {
    return Stream.of(ExportVersion.values());
  }

  @Test
  void anIpv6TargetHasOneExporter() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadGenerator.parse(new String[] {"--target", "[::1]:4739", "--exporters", "2"}));
    assertTrue(e.getMessage().startsWith("--exporters: 2"), e.getMessage());
  }

  @Test
  void onlyLoopbackTargetsAreAccepted() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadGenerator.parse(new String[] {"--target", "192.0.2.1:2055"}));
    assertTrue(e.getMessage().contains("loopback"), e.getMessage());
    assertEquals(ListenAddress.parse("[::1]:4739"), LoadGenerator.parse(new String[] {"--target", "[::1]:4739"}).target());
  }

  @Test
  void badOptionsAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LoadGenerator.parse(new String[] {"--rate", "fast", "--version", "v7"}));
    assertTrue(e.getMessage().startsWith("--rate: \"fast\""), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LoadGenerator.parse(new String[] {"--seconds", "0"}));
    assertThrows(IllegalArgumentException.class, () -> LoadGenerator.parse(new String[] {"--bogus", "1"}));
    assertThrows(IllegalArgumentException.class, () -> LoadGenerator.parse(new String[] {"--packets"}));
  }
}
