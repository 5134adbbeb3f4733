package io.flowsentry.collector.bench;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v5.V5Datagrams;
import io.flowsentry.collector.pcap.PcapReader;
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
 * NetFlow v5 decoding speed, in records per second on one thread (one op = one record). The
 * capture is akvorado's nfv5.pcap (29 records) from {@code -Dflowsentry.shared} (default
 * ../shared); the synthetic datagram is a full 30-record Cisco-sized one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class V5DecoderBench {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);

  private final NetflowV5Decoder decoder = new NetflowV5Decoder(false);
  private ByteBuf synthetic;
  private ByteBuf capture;

  @Setup
  public void setup() throws IOException {
    synthetic = Unpooled.wrappedBuffer(V5Datagrams.synthetic(30, 0));
    Path pcap = Path.of(System.getProperty("flowsentry.shared", "../shared"), "testdata/netflow/akvorado/pcap/nfv5.pcap");
    capture = Unpooled.wrappedBuffer(PcapReader.readAll(pcap).getFirst().payload());
    if (capture.getUnsignedShort(2) != 29) throw new IllegalStateException("unexpected capture " + pcap);
  }

  /** Hands every record to the blackhole, as the collector hands it to the normalizer. */
  static DecodeListener sink(Blackhole bh) {
    return new DecodeListener() {
      @Override
      public void header(MessageHeader header) {
        bh.consume(header);
      }

      @Override
      public void record(FlowRecord record) {
        bh.consume(record);
      }

      @Override
      public void error(DecodeError reason, String detail) {
        throw new IllegalStateException(reason + ": " + detail);
      }
    };
  }

  @Benchmark
  @OperationsPerInvocation(30)
  public void synthetic30Records(Blackhole bh) {
    decoder.decode(synthetic, EXPORTER, 0, sink(bh));
  }

  @Benchmark
  @OperationsPerInvocation(29)
  public void akvoradoCapture(Blackhole bh) {
    decoder.decode(capture, EXPORTER, 0, sink(bh));
  }
}
