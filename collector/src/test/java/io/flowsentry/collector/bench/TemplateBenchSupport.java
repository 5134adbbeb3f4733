package io.flowsentry.collector.bench;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.infra.Blackhole;

/** Shared inputs of the v9 and IPFIX decoder benchmarks. */
final class TemplateBenchSupport {

  /** A typical router IPv4 template: addresses, ports, protocol, flags, counters, interfaces, times, masks. */
  static final List<Field> IPV4_FIELDS = List.of(Field.of(8, 4), Field.of(12, 4), Field.of(7, 2), Field.of(11, 2),
      Field.of(4, 1), Field.of(6, 1), Field.of(5, 1), Field.of(1, 4), Field.of(2, 4), Field.of(10, 4), Field.of(14, 4),
      Field.of(15, 4), Field.of(9, 1), Field.of(13, 1), Field.of(61, 1), Field.of(48, 1));

  private TemplateBenchSupport() {}

  /** {@code n} random IPv4 records in {@link #IPV4_FIELDS} order (times appended by the caller's fields). */
  static List<List<Object>> ipv4Records(int n, List<Field> fields) {
    Random random = new Random(42);
    List<List<Object>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      List<Object> r = new ArrayList<>();
      for (Field f : fields) {
        long max = f.length() >= 8 ? Long.MAX_VALUE : (1L << (8 * f.length())) - 1;
        r.add(f.id() == 152 || f.id() == 153 ? 1_700_000_000_000L + i : random.nextLong(max));
      }
      records.add(r);
    }
    return records;
  }

  /** The capture's datagrams as direct buffers, as the epoll transport hands them over. */
  static List<ByteBuf> capture(String relative) throws IOException {
    String root = System.getProperty("flowsentry.shared", "../shared");
    List<ByteBuf> out = new ArrayList<>();
    for (CapturedDatagram d : PcapReader.readAll(Path.of(root, relative))) out.add(direct(d.payload()));
    return out;
  }

  static ByteBuf direct(byte[] bytes) {
    return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
  }

  static ExportWriter writer(int version) {
    return version == 9 ? ExportWriter.v9(100_000, 1_700_000_000L, 1, 0) : ExportWriter.ipfix(1_700_000_000L, 1, 0);
  }

  /** For setup messages (templates): only errors matter, and they abort the run. */
  static final DecodeListener SETUP = new DecodeListener() {
    @Override
    public void header(MessageHeader header) {}

    @Override
    public void record(FlowRecord record) {}

    @Override
    public void error(DecodeError reason, String detail) {
      throw new IllegalStateException(reason + ": " + detail);
    }
  };

  /** Hands records to the blackhole and counts them; errors would mean a broken benchmark. */
  static final class CountingListener implements DecodeListener {
    private final Blackhole blackhole;
    long records;

    CountingListener(Blackhole blackhole) {
      this.blackhole = blackhole;
    }

    @Override
    public void header(MessageHeader header) {
      blackhole.consume(header);
    }

    @Override
    public void record(FlowRecord record) {
      records++;
      blackhole.consume(record);
    }

    /** As the collector takes most records: read from the lent builder, never built. */
    @Override
    public void decoded(FlowRecord.Builder record) {
      records++;
      blackhole.consume(record.sourceLo);
      blackhole.consume(record.destinationLo);
      blackhole.consume(record.startMillis);
    }

    @Override
    public void error(DecodeError reason, String detail) {
      throw new IllegalStateException(reason + ": " + detail);
    }
  }
}
