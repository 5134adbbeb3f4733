package io.flowsentry.collector.bench;

import io.flowsentry.collector.netflow.DecodeListener;
import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Throughput of a template-based decoder on one thread: each operation decodes every message of
 * the input once; the {@code records} counter is records/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class TemplateDecoderBenchmark {

  static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);
  static final long NOW = 1_700_000_000_000L;

  /** The messages decoded by each operation, in order. */
  final List<ByteBuf> messages = new ArrayList<>();

  /** Records decoded, reported per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Records {
    public long records;

    @Setup(Level.Iteration)
    public void clear() {
      records = 0;
    }
  }

  abstract void decode(ByteBuf message, DecodeListener listener);

  @Benchmark
  public void decode(Records counter, Blackhole blackhole) {
    TemplateBenchSupport.CountingListener listener = new TemplateBenchSupport.CountingListener(blackhole);
    for (int i = 0; i < messages.size(); i++) decode(messages.get(i), listener);
    counter.records += listener.records;
  }
}
