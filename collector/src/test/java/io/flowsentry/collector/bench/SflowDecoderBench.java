package io.flowsentry.collector.bench;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.loadgen.ExportTotals;
import io.flowsentry.collector.loadgen.SflowEncoder;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.sflow.CounterSample;
import io.flowsentry.collector.sflow.DiscardSample;
import io.flowsentry.collector.sflow.FlowSample;
import io.flowsentry.collector.sflow.SflowDatagram;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.flowsentry.collector.sflow.SflowListener;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * sFlow v5 decoding speed, in sampled packets (flow records) per second on one thread (one op =
 * one flow sample decoded down to its packet's flow key). The capture is akvorado's data-1140.pcap
 * (5 flow samples with sampled headers, extended switch, router and gateway records) from
 * {@code -Dflowsentry.shared} (default ../shared); the synthetic datagram is the load generator's
 * (10 flow samples, Ethernet/IPv4/TCP-or-UDP headers).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SflowDecoderBench {

  private static final InetSocketAddress SWITCH = new InetSocketAddress("192.0.2.1", 6343);

  private final SflowDecoder decoder = new SflowDecoder(false, false);
  private ByteBuf synthetic;
  private ByteBuf capture;

  @Setup
  public void setup() throws IOException {
    SyntheticFlows flows = new SyntheticFlows(1000, 1, Cidr.parse("192.168.4.0/24"), Cidr.parse("203.0.113.0/24"));
    synthetic = Unpooled.buffer();
    new SflowEncoder(flows, 0).encode(synthetic, 0, 3_600_000, new ExportTotals());
    Path pcap = Path.of(System.getProperty("flowsentry.shared", "../shared"), "testdata/sflow/akvorado/pcap/data-1140.pcap");
    capture = Unpooled.wrappedBuffer(PcapReader.readAll(pcap).getFirst().payload());
  }

  /** Hands every sampled packet and sample to the blackhole, as the pipeline hands them on. */
  static SflowListener sink(Blackhole bh) {
    return new SflowListener() {
      @Override public void datagram(SflowDatagram header) { bh.consume(header); }
      @Override public void flowSample(FlowSample sample) { bh.consume(sample); }
      @Override public void decoded(FlowRecord.Builder packet) { bh.consume(packet.sourceLo); }
      @Override public void counterSample(CounterSample sample) { bh.consume(sample); }
      @Override public void discardSample(DiscardSample sample) { bh.consume(sample); }
      @Override public void unknownSample(int enterprise, int format) { bh.consume(format); }
      @Override public void recordsSkipped(int count) { bh.consume(count); }
      @Override public void error(DecodeError reason, String detail) { throw new IllegalStateException(reason + ": " + detail); }
    };
  }

  @Benchmark
  @OperationsPerInvocation(SflowEncoder.RECORDS_PER_PACKET)
  public void synthetic10Samples(Blackhole bh) {
    decoder.decode(synthetic, SWITCH, 0, sink(bh));
  }

  @Benchmark
  @OperationsPerInvocation(5)
  public void akvoradoCapture(Blackhole bh) {
    decoder.decode(capture, SWITCH, 0, sink(bh));
  }
}
