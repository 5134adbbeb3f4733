package io.flowsentry.app.warmup;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.loadgen.ExportEncoder;
import io.flowsentry.collector.loadgen.ExportTotals;
import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.loadgen.LoadSpec;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.udp.DatagramHandler;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.udp.UdpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes a fresh daemon as fast as a warm one before its sockets are bound: synthetic NetFlow
 * v5, v9, IPFIX and sFlow datagrams go over loopback into a server of its own (same transport, same
 * decoders, normalizer and exporter table, built by the caller) until the JIT has compiled the
 * path, so the first real datagrams meet compiled code instead of the interpreter. Started cold,
 * the daemon otherwise spent its first seconds interpreting and lost part of a 25k packets/s load
 * (issue 19).
 *
 * <p>Nothing of it is visible: the server and pipeline count into a registry that is thrown away,
 * and events reach {@link #discarding the analyzer's filter} but never the analyzer, so no alarm,
 * suppression entry or metric comes from the warm-up. Bounded in time ({@code inputs.netflow.warm_up})
 * and in datagrams.
 */
public final class ReceivePathWarmUp {
  /** Datagrams per version: past the C2 thresholds of every per-datagram method (Tier4 at 5-15k calls). */
  static final int DATAGRAMS_PER_VERSION = 20_000;
  /** Datagrams of one version before the next version's turn. */
  private static final int ROUND = 500;
  /**
   * The warm-up socket's SO_RCVBUF: within every kernel's default cap (net.core.rmem_max is
   * 208 KiB unless raised), so the warm-up never warns about a buffer the real sockets may lack.
   */
  private static final int RECEIVE_BUFFER = 128 << 10;
  /** Datagrams sent but not yet handled, at most: what the warm-up socket holds (~2.3 KB each with the kernel's overhead). */
  private static final int IN_FLIGHT = 48;
  /** The compiler counts as done once its total time has not moved for this long. */
  private static final Duration COMPILER_QUIET = Duration.ofMillis(200);

  /** One flow in this many becomes an event even where the analyzer's filter says no. */
  private static final int ALSO_WANTED = 4;

  /** What a warm-up did, for the start-up log. */
  public record Result(long datagramsHandled, Duration took, boolean compilerQuiet) {}

  private ReceivePathWarmUp() {}

  /**
   * @param input the daemon's {@code inputs.netflow} (its limits and transport settings are used;
   *     the warm-up listens on 127.0.0.1 port 0 with one socket)
   * @param pipeline builds the warm-up's pipeline from an event handler and a registry, the way
   *     the daemon builds its own
   * @param analyzer the daemon's event handler: only its {@link EventHandler#wants} is called
   */
  public static Result run(UdpInputConfig input, EventHandler analyzer,
      PipelineFactory pipeline) throws IOException {
    Duration bound = input.warmUpDuration();
    if (bound.isZero()) return new Result(0, Duration.ZERO, false);
    long start = System.nanoTime();
    long deadline = start + bound.toNanos();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicLong handled = new AtomicLong();
    DatagramPipeline inner = pipeline.create(discarding(analyzer), registry);
    DatagramHandler counting = (sender, content, receivedMillis) -> {
      try {
        inner.onDatagram(sender, content, receivedMillis);
      } finally {
        handled.incrementAndGet();
      }
    };
    UdpInputConfig local = new UdpInputConfig(List.of("127.0.0.1:0"), allowlist(input), RECEIVE_BUFFER, 1,
        input.limits(), input.decapsulation(), input.warmUp());
    List<ExportEncoder> encoders = encoders();
    ByteBuf datagram = Unpooled.buffer(2048);
    UdpServer server = new UdpServer(local, counting, registry);
    server.start();
    try (DatagramChannel out = DatagramChannel.open()) {
      out.connect(server.boundAddresses().get(0));
      long sent = 0;
      for (int round = 0; round * ROUND < DATAGRAMS_PER_VERSION && System.nanoTime() - deadline < 0; round++) {
        for (ExportEncoder encoder : encoders) {
          for (int i = 0; i < ROUND; i++) {
            while (sent - handled.get() >= IN_FLIGHT && System.nanoTime() - deadline < 0) LockSupport.parkNanos(20_000);
            // packets in order, so the exporter's sequence numbers run on as a real one's do
            datagram.clear();
            encoder.encode(datagram, (long) round * ROUND + i, System.currentTimeMillis(), new ExportTotals());
            out.write(datagram.nioBuffer());
            sent++;
          }
        }
      }
    } finally {
      server.close();
    }
    boolean quiet = awaitCompilerQuiet(deadline);
    return new Result(handled.get(), Duration.ofNanos(System.nanoTime() - start), quiet);
  }

  /** How the daemon builds a pipeline around an event handler, counting into a registry. */
  @FunctionalInterface
  public interface PipelineFactory {
    DatagramPipeline create(EventHandler events, MeterRegistry registry);
  }

  /**
   * The daemon's allowlist, so the check compiles for the list it will meet (an empty list and a
   * non-empty one take different paths, and code compiled for one is thrown away on the other),
   * with the warm-up's own sender added to a non-empty one.
   */
  static List<String> allowlist(UdpInputConfig input) {
    if (input.allowedExporters().isEmpty()) return List.of();
    List<String> list = new ArrayList<>(input.allowedExporters());
    list.add("127.0.0.1/32");
    return list;
  }

  /**
   * Answers as the analyzer's filter does, and wants every {@link #ALSO_WANTED}-th flow besides,
   * so both the skipped and the built path are compiled whatever the policies (code compiled
   * while one branch was never taken is thrown away when real traffic takes it); drops every event.
   */
  static EventHandler discarding(EventHandler analyzer) {
    return new EventHandler() {
      private int asked;

      @Override
      public void onEvent(ConnectionEvent event) {}

      @Override
      public boolean wants(IpAddr a, IpAddr b) {
        return analyzer.wants(a, b) || ++asked % ALSO_WANTED == 0;
      }

      // what the pipeline asks per record: the warm-up must compile this one
      @Override
      public boolean wants(long aHi, long aLo, boolean aV6, long bHi, long bLo, boolean bV6) {
        return analyzer.wants(aHi, aLo, aV6, bHi, bLo, bV6) || ++asked % ALSO_WANTED == 0;
      }
    };
  }

  /** The load generator's encoder of each version, over one small synthetic flow table. */
  static List<ExportEncoder> encoders() {
    LoadSpec spec = LoadSpec.defaults();
    SyntheticFlows flows = new SyntheticFlows(4096, 1, spec.sourceNetwork(), spec.destinationNetwork());
    long boot = System.currentTimeMillis() - 3_600_000;
    List<ExportEncoder> all = new ArrayList<>();
    for (ExportVersion v : ExportVersion.values()) all.add(ExportEncoder.of(v, flows, boot, spec.templateEvery()));
    return all;
  }

  /** Waits, at most until the deadline, for the JIT to stop compiling what the warm-up queued. */
  private static boolean awaitCompilerQuiet(long deadline) {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return false;
    long last = jit.getTotalCompilationTime();
    long quietSince = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      LockSupport.parkNanos(20_000_000);
      long now = jit.getTotalCompilationTime();
      if (now != last) {
        last = now;
        quietSince = System.nanoTime();
      } else if (System.nanoTime() - quietSince >= COMPILER_QUIET.toNanos()) {
        return true;
      }
    }
    return false;
  }
}
