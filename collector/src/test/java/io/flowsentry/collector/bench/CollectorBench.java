package io.flowsentry.collector.bench;

import io.flowsentry.collector.netflow.CollectorWiring;
import io.flowsentry.collector.netflow.NetflowCollector;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.v5.V5Datagrams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The whole per-datagram pipeline on one thread: version dispatch, v5 decoding, sequence
 * tracking, metrics, normalization with the originator decision, hand-off. One op = one
 * 30-record datagram; records/s = ops/s × 30.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CollectorBench {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);

  private NetflowCollector collector;
  private ByteBuf datagram;
  private Blackhole blackhole;
  private int sequence;

  @Setup
  public void setup(Blackhole bh) {
    blackhole = bh;
    collector = CollectorWiring.real(e -> blackhole.consume(e), new SimpleMeterRegistry(), NetflowLimits.defaults());
    datagram = Unpooled.wrappedBuffer(V5Datagrams.synthetic(30, 0));
  }

  @Benchmark
  public void v5Datagram30Records() {
    datagram.setInt(16, sequence += 30); // flow_sequence advances as a live exporter's does
    collector.onDatagram(EXPORTER, datagram, 0);
  }
}
