package io.flowsentry.collector.bench;

import io.flowsentry.collector.pipeline.CollectorWiring;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.ExportWriter.Field;
import io.flowsentry.collector.netflow.v5.V5Datagrams;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
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
 * The whole per-datagram pipeline on one thread: version dispatch, decoding, sequence tracking,
 * metrics, normalization with the originator decision, hand-off. One op = one 30-record
 * datagram; records/s = ops/s × 30.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CollectorBench {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);
  private static final int TEMPLATE_ID = 256;
  /** A typical IPv4 template: addresses, counters, absolute times, interfaces, ports, protocol, flags, ToS. */
  private static final List<Field> IPV4 = List.of(Field.of(8, 4), Field.of(12, 4), Field.of(1, 8), Field.of(2, 8),
      Field.of(152, 8), Field.of(153, 8), Field.of(10, 4), Field.of(14, 4), Field.of(7, 2), Field.of(11, 2),
      Field.of(4, 1), Field.of(6, 1), Field.of(5, 1));

  private DatagramPipeline collector;
  private ByteBuf v5;
  private ByteBuf ipfix;
  private Blackhole blackhole;
  private int v5Sequence;
  private int ipfixSequence;

  @Setup
  public void setup(Blackhole bh) {
    blackhole = bh;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    collector = CollectorWiring.real(e -> blackhole.consume(e), registry, NetflowLimits.defaults());
    v5 = Unpooled.wrappedBuffer(V5Datagrams.synthetic(30, 0));
    byte[] template = ExportWriter.ipfix(1_700_000_000L, 0, 1).template(TEMPLATE_ID, IPV4).build();
    collector.onDatagram(EXPORTER, Unpooled.wrappedBuffer(template), 0);
    ipfix = Unpooled.wrappedBuffer(ExportWriter.ipfix(1_700_000_000L, 0, 1).data(TEMPLATE_ID, IPV4, records(30)).build());
    ipfixDatagram30Records();
    double decoded = registry.get("flowsentry.flow.records").tag("protocol", "ipfix").counter().count();
    // every decode-error series exists from start-up at 0 (DatagramPipeline): none may have counted
    double errors = registry.find("flowsentry.decode.errors").counters().stream().mapToDouble(c -> c.count()).sum();
    if (decoded != 30 || errors != 0) {
      throw new IllegalStateException("the IPFIX datagram does not decode to 30 records: " + decoded + " records, " + errors + " errors");
    }
  }

  private static List<List<Object>> records(int n) {
    List<List<Object>> records = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean tcp = i % 3 != 0;
      long start = 1_699_999_990_000L + i;
      records.add(List.of(0x0A00_0000L | (i * 7919 & 0xFFFF), 0xC633_6400L | (i & 0xFF), 60L * (1 + i), 1L + i,
          start, start + 5000, 1L + i % 4, 5L + i % 3, 32768L + i * 13, tcp ? 443L : 53L, tcp ? 6L : 17L,
          tcp ? 0x1BL : 0L, 0L));
    }
    return records;
  }

  @Benchmark
  public void v5Datagram30Records() {
    v5.setInt(16, v5Sequence += 30); // flow_sequence advances as a live exporter's does
    collector.onDatagram(EXPORTER, v5, 0);
  }

  @Benchmark
  public void ipfixDatagram30Records() {
    ipfix.setInt(8, ipfixSequence += 30); // IPFIX counts data records
    collector.onDatagram(EXPORTER, ipfix, 0);
  }
}
