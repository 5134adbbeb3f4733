package io.flowsentry.collector.bench;

import static io.flowsentry.collector.bench.TemplateBenchSupport.IPV4_FIELDS;

import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.ExportWriter.Field;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * IPFIX decoding throughput on one thread; the {@code records} counter is records/s.
 * {@code synthetic}: one 25-record IPv4 data set (template already known); {@code ipfixprobe}:
 * akvorado's RFC 5103 biflow capture (4 records); {@code physical}: akvorado's
 * physicalinterfaces capture (templates, options and data in one message).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IpfixDecoderBenchmark {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);

  @Param({"synthetic", "ipfixprobe", "physical"})
  public String input;

  private IpfixDecoder decoder;
  private final List<ByteBuf> messages = new ArrayList<>();

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

  @Setup
  public void setUp() throws IOException {
    decoder = new IpfixDecoder(new TemplateStore(NetflowLimits.defaults()), NetflowLimits.defaults(), false);
    switch (input) {
      case "synthetic" -> {
        List<Field> fields = new ArrayList<>(IPV4_FIELDS);
        fields.add(Field.of(152, 8));
        fields.add(Field.of(153, 8));
        decoder.decode(TemplateBenchSupport.direct(TemplateBenchSupport.writer(10).template(256, fields).build()),
            EXPORTER, 1_700_000_000_000L, new TemplateBenchSupport.CountingListener(null));
        messages.add(TemplateBenchSupport.direct(TemplateBenchSupport.writer(10)
            .data(256, fields, TemplateBenchSupport.ipv4Records(25, fields)).build()));
      }
      case "ipfixprobe" -> {
        messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/ipfixprobe-templates.pcap"));
        messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/ipfixprobe-data.pcap"));
      }
      case "physical" -> messages.addAll(TemplateBenchSupport.capture("testdata/netflow/akvorado/pcap/physicalinterfaces.pcap"));
      default -> throw new IllegalArgumentException(input);
    }
  }

  @Benchmark
  public void decode(Records counter, Blackhole blackhole) {
    TemplateBenchSupport.CountingListener listener = new TemplateBenchSupport.CountingListener(blackhole);
    for (int i = 0; i < messages.size(); i++) decoder.decode(messages.get(i), EXPORTER, 1_700_000_000_000L, listener);
    counter.records += listener.records;
  }
}
