package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.udp.ListenAddress;
import io.flowsentry.collector.udp.ProcNetUdp;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.udp.UdpServer;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The live Netty UDP server on a loopback port, feeding the collector and counting datagrams: the interop tests' receiving end. */
public final class LoopbackReceiver implements AutoCloseable {
  private static final ProcNetUdp KERNEL = ProcNetUdp.system();
  private final UdpServer server;
  private final AtomicLong datagrams = new AtomicLong();

  public LoopbackReceiver(DatagramPipeline collector, MeterRegistry registry) throws IOException {
    UdpInputConfig config = new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), 4 << 20, 1, null, null, null);
    server = new UdpServer(config, (sender, content, received) -> {
      collector.onDatagram(sender, content, received);
      datagrams.incrementAndGet();
    }, registry);
    server.start();
  }

  public int port() {
    return server.boundAddresses().getFirst().getPort();
  }

  /** Waits until {@code count} datagrams were handled or the kernel dropped some (then they never come). */
  public void await(long count) throws InterruptedException {
    await(datagrams::get, count, "datagrams received");
  }

  /**
   * Waits (bounded by {@link Nfcapd#WAIT_MILLIS}) until {@code handled} reaches {@code count} or the
   * kernel dropped datagrams for this port, then requires neither fell short.
   */
  public void await(LongSupplier handled, long count, String what) throws InterruptedException {
    ListenAddress address = new ListenAddress(IpAddr.ofV4(0x7F00_0001), port());
    long deadline = System.currentTimeMillis() + Nfcapd.WAIT_MILLIS;
    while (handled.getAsLong() < count && KERNEL.drops(address) == 0 && System.currentTimeMillis() < deadline) Thread.sleep(10);
    assertEquals(0, KERNEL.drops(address), "datagrams the kernel dropped before our collector read them");
    assertEquals(count, handled.getAsLong(), what);
  }

  @Override
  public void close() {
    server.close();
  }
}
