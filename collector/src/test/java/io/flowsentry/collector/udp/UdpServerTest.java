package io.flowsentry.collector.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.epoll.Epoll;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UdpServerTest {
  record Received(InetSocketAddress sender, byte[] content) {}

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private final DatagramHandler collecting = (sender, content, millis) -> received.add(new Received(sender, ByteBufUtil.getBytes(content)));

  private static UdpInputConfig config(List<String> listen, List<String> allowed) {
    return new UdpInputConfig(listen, allowed, 1 << 20, 2, null, null, null);
  }

  private UdpServer server(UdpInputConfig config, DatagramHandler handler, UdpServer.Transport transport) {
    Assumptions.assumeTrue(transport == UdpServer.Transport.NIO || Epoll.isAvailable(), "native epoll is not available here");
    return new UdpServer(config, handler, registry, Clock.systemUTC(), ProcNetUdp.system(), transport);
  }

  private static InetSocketAddress send(InetAddress from, InetSocketAddress to, String text) throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
      byte[] b = text.getBytes(StandardCharsets.US_ASCII);
      s.send(new DatagramPacket(b, b.length, to));
      return (InetSocketAddress) s.getLocalSocketAddress();
    }
  }

  private static InetSocketAddress boundFor(UdpServer server, InetAddress address) {
    return server.boundAddresses().stream().filter(a -> a.getAddress().equals(address)).findFirst().orElseThrow();
  }

  /** Registered with the server, so a missing counter fails instead of reading 0. */
  private double dropped(String reason) {
    return registry.get("flowsentry.packets.dropped").tag("reason", reason).counter().count();
  }

  /**
   * Waits for something another thread does; never used to let time pass for semantics. The
   * bound is generous because a busy build machine can stall a thread for seconds.
   */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 30 s");
      Thread.sleep(5);
    }
  }

  @ParameterizedTest
  @EnumSource(UdpServer.Transport.class)
  void datagramsArriveWithTheirSenderOverIpv4AndIpv6Loopback(UdpServer.Transport transport) throws Exception {
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    InetAddress v6 = InetAddress.getByName("::1");
    try (UdpServer server = server(config(List.of("127.0.0.1:0", "[::1]:0"), List.of()), collecting, transport)) {
      server.start();
      assertEquals(2, server.boundAddresses().size());

      InetSocketAddress from4 = send(v4, boundFor(server, v4), "hello v4");
      Received r4 = received.poll(5, TimeUnit.SECONDS);
      assertEquals(from4, r4.sender());
      assertArrayEquals("hello v4".getBytes(StandardCharsets.US_ASCII), r4.content());

      InetSocketAddress from6 = send(v6, boundFor(server, v6), "hello v6");
      Received r6 = received.poll(5, TimeUnit.SECONDS);
      assertEquals(from6, r6.sender());
      assertArrayEquals("hello v6".getBytes(StandardCharsets.US_ASCII), r6.content());
    }
  }

  @ParameterizedTest
  @EnumSource(UdpServer.Transport.class)
  void burstsAndTheLargestDatagramArriveWholeAndInOrder(UdpServer.Transport transport) throws Exception {
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    try (UdpServer server = server(config(List.of("127.0.0.1:0"), List.of()), collecting, transport);
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(v4, 0))) {
      server.start();
      InetSocketAddress to = server.boundAddresses().get(0);
      // each burst is queued faster than one wake-up reads it, so reads take several datagrams
      // and the read size adapts; small enough for the receive buffer any machine grants
      int n = 0;
      for (int burst = 0; burst < 20; burst++) {
        int first = n;
        for (int i = 0; i < 40; i++, n++) {
          byte[] b = payload(n, 64 + (n * 37) % 1400);
          s.send(new DatagramPacket(b, b.length, to));
        }
        for (int i = first; i < n; i++) {
          Received r = received.poll(5, TimeUnit.SECONDS);
          assertArrayEquals(payload(i, 64 + (i * 37) % 1400), r == null ? null : r.content(), "datagram " + i);
        }
      }
      byte[] largest = payload(n, UdpServer.MAX_DATAGRAM);
      s.send(new DatagramPacket(largest, largest.length, to));
      Received r = received.poll(5, TimeUnit.SECONDS);
      assertArrayEquals(largest, r == null ? null : r.content(), "a datagram of the largest UDP payload, not truncated");
    }
  }

  @Test
  void everyReadBufferHoldsItsSlotsOfTheLargestDatagram() {
    for (int slots : new int[] {1, 4, 8}) {
      assertEquals(slots, UdpServer.readBuffer(slots) / UdpServer.MAX_DATAGRAM);
    }
  }

  private static byte[] payload(int index, int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) b[i] = (byte) (index * 31 + i);
    return b;
  }

  @Test
  void datagramsFromExportersOutsideTheAllowlistAreCountedAndDropped() throws Exception {
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    try (UdpServer server = new UdpServer(config(List.of("127.0.0.1:0"), List.of("10.0.0.0/8", "::1")), collecting, registry)) {
      server.start();
      send(v4, server.boundAddresses().get(0), "from outside");
      await(() -> dropped("exporter_not_allowed") == 1);
      assertTrue(received.isEmpty());
    }
    try (UdpServer server = new UdpServer(config(List.of("127.0.0.1:0"), List.of("10.0.0.0/8", "127.0.0.0/8")), collecting, registry)) {
      server.start();
      send(v4, server.boundAddresses().get(0), "from inside");
      assertEquals("from inside", new String(received.poll(5, TimeUnit.SECONDS).content(), StandardCharsets.US_ASCII));
      assertEquals(1, dropped("exporter_not_allowed"));
    }
  }

  @Test
  void bindFailureNamesTheAddressAndLeavesNothingBound() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      String busy = "127.0.0.1:" + taken.getLocalPort();
      UdpServer server = new UdpServer(config(List.of("127.0.0.1:0", busy), List.of()), collecting, registry);
      BindException e = assertThrows(BindException.class, server::start);
      assertTrue(e.getMessage().contains("udp " + busy), e.getMessage());
      assertTrue(server.boundAddresses().isEmpty());
    }
  }

  /**
   * Asks for twice net.core.rmem_max: with CAP_NET_ADMIN (CI runs as root) the whole buffer is
   * granted through SO_RCVBUFFORCE; without it the kernel's cap is what the socket gets.
   */
  @Test
  void theReceiveBufferGoesPastRmemMaxWhenTheProcessMay() throws Exception {
    Assumptions.assumeTrue(Epoll.isAvailable(), "SO_RCVBUFFORCE is set through native epoll");
    // readAllLines, not readString: /proc files report size 0, and readString returned the first byte
    long rmemMax = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/net/core/rmem_max")).get(0).trim());
    int asked = (int) Math.min(Integer.MAX_VALUE / 4, 2 * rmemMax);
    UdpInputConfig c = new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), asked, 2, null, null, null);
    try (UdpServer server = server(c, collecting, UdpServer.Transport.EPOLL)) {
      server.start();
      assertEquals(hasNetAdmin() ? asked : rmemMax, server.receiveBufferGranted(), "rmem_max " + rmemMax + ", asked " + asked + ", CAP_NET_ADMIN " + hasNetAdmin());
    }
  }

  /** CAP_NET_ADMIN (bit 12) in this process's effective capabilities. */
  private static boolean hasNetAdmin() throws Exception {
    String capEff = Files.readAllLines(Path.of("/proc/self/status")).stream()
        .filter(l -> l.startsWith("CapEff:")).findFirst().orElseThrow().substring(7).trim();
    return (Long.parseUnsignedLong(capEff, 16) & (1L << 12)) != 0;
  }

  @Test
  void aPortAnotherCollectorHoldsWithReusePortIsRefused() throws Exception {
    Assumptions.assumeTrue(Epoll.isAvailable() && ProcNetUdp.system().readable(), "needs Linux epoll and /proc/net/udp");
    try (UdpServer first = new UdpServer(config(List.of("127.0.0.1:0"), List.of()), collecting, registry)) {
      first.start();
      String taken = "127.0.0.1:" + first.boundAddresses().get(0).getPort();
      UdpServer second = new UdpServer(config(List.of(taken), List.of()), collecting, new SimpleMeterRegistry());
      BindException e = assertThrows(BindException.class, second::start);
      assertTrue(e.getMessage().contains("udp " + taken + ": another socket"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(UdpServer.Transport.class)
  void aFailingHandlerIsCountedAndReceivingGoesOn(UdpServer.Transport transport) throws Exception {
    DatagramHandler failingOnBoom = (sender, content, millis) -> {
      if (content.toString(StandardCharsets.US_ASCII).equals("boom")) throw new IllegalStateException("decoder bug");
      collecting.onDatagram(sender, content, millis);
    };
    InetAddress v4 = InetAddress.getByName("127.0.0.1");
    try (UdpServer server = server(config(List.of("127.0.0.1:0"), List.of()), failingOnBoom, transport)) {
      server.start();
      send(v4, server.boundAddresses().get(0), "boom");
      await(() -> dropped("handler_error") == 1);
      send(v4, server.boundAddresses().get(0), "still here");
      assertEquals("still here", new String(received.poll(5, TimeUnit.SECONDS).content(), StandardCharsets.US_ASCII));
    }
  }

  @Test
  void closeWaitsForTheDatagramBeingHandledAndStopsReceiving() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    DatagramHandler slow = (sender, content, millis) -> {
      entered.countDown();
      try {
        Thread.sleep(300); // a decoder still busy when shutdown begins
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      finished.set(true);
    };
    UdpServer server = new UdpServer(config(List.of("127.0.0.1:0"), List.of()), slow, registry);
    server.start();
    InetSocketAddress target = server.boundAddresses().get(0);
    send(InetAddress.getByName("127.0.0.1"), target, "in flight");
    assertTrue(entered.await(5, TimeUnit.SECONDS));
    server.close();
    assertTrue(finished.get(), "close returned before the handler finished");
    assertTrue(server.boundAddresses().isEmpty());
    try (DatagramSocket rebind = new DatagramSocket(target)) {
      assertEquals(target.getPort(), rebind.getLocalPort()); // the port is free again
    }
  }

  @Test
  void kernelDropsOfAFullReceiveQueueAreExported() throws Exception {
    Assumptions.assumeTrue(ProcNetUdp.system().readable(), "/proc/net/udp is not readable here");
    CountDownLatch release = new CountDownLatch(1);
    DatagramHandler stuck = (sender, content, millis) -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    UdpInputConfig small = new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), 4096, 1, null, null, null);
    try (UdpServer server = new UdpServer(small, stuck, registry)) {
      server.start();
      InetSocketAddress target = server.boundAddresses().get(0);
      FunctionCounter drops = registry.find("flowsentry.socket.drops").tag("listen", "127.0.0.1:" + target.getPort()).functionCounter();
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
        byte[] b = new byte[1000];
        for (int i = 0; i < 200; i++) s.send(new DatagramPacket(b, b.length, target));
      }
      assertTrue(drops.count() > 0, "drops: " + drops.count());
      release.countDown();
    }
    assertTrue(registry.find("flowsentry.socket.drops").functionCounters().isEmpty(), "meters of closed sockets are removed");
  }
}
