package io.flowsentry.collector.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.sflow.SflowCaptures;
import io.flowsentry.collector.sflow.SflowDatagram;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExportEncoderTest {
  private static final long EXPORT_MILLIS = 1_700_000_000_250L;
  private static final long BOOT_MILLIS = EXPORT_MILLIS - 3_600_000;
  private final SyntheticFlows flows = new SyntheticFlows(60, 7, Cidr.parse("192.168.4.0/24"), Cidr.parse("198.51.100.0/24"));

  private static ByteBuf encode(ExportEncoder encoder, long n, ExportTotals totals) {
    ByteBuf out = Unpooled.buffer();
    encoder.encode(out, n, EXPORT_MILLIS, totals);
    return out;
  }

  /** Octets summed over the first {@code records} records of a run, straight from the flow table. */
  private long expectedOctets(long records) {
    long sum = 0;
    for (long k = 0; k < records; k++) sum += flows.octets((int) (k % flows.size()));
    return sum;
  }

  private long expectedPackets(long records) {
    long sum = 0;
    for (long k = 0; k < records; k++) sum += flows.packets((int) (k % flows.size()));
    return sum;
  }

  @ParameterizedTest
  @EnumSource(ExportVersion.class)
  void anIndependentReaderCountsExactlyWhatTheTotalsSay(ExportVersion version) {
    ExportEncoder encoder = ExportEncoder.of(version, flows, BOOT_MILLIS, 4);
    ExportTotals totals = new ExportTotals();
    ExportPacketReader reader = new ExportPacketReader();
    int packets = 7; // not a whole number of flow-table cycles
    for (int n = 0; n < packets; n++) {
      ByteBuf b = encode(encoder, n, totals);
      reader.read(b);
      b.release();
    }
    long records = (long) packets * encoder.recordsPerPacket();
    assertEquals(records, totals.records());
    assertEquals(records, reader.records.sum());
    if (version != ExportVersion.SFLOW) { // sFlow samples one packet per record: its totals are what the samples scale to
      assertEquals(expectedOctets(records), totals.octets());
      assertEquals(expectedPackets(records), totals.packets());
    }
    assertEquals(totals.octets(), reader.octets.sum());
    assertEquals(totals.packets(), reader.packets.sum());
    assertEquals(packets, totals.datagrams());
    assertEquals(0, reader.unknownSets.sum() + reader.malformed.sum());
    boolean templates = version == ExportVersion.V9 || version == ExportVersion.IPFIX;
    assertEquals(templates ? 2 : 0, reader.templateRecords.sum(), "templates in packets 0 and 4");
  }

  /** The collector's own decoder reads the generated sFlow: one sampled packet per record, scaled totals exact. */
  @Test
  void sflowSamplesDecodeToTheTotals() {
    ExportTotals totals = new ExportTotals();
    SflowCaptures.Recording r = new SflowCaptures.Recording();
    SflowEncoder encoder = new SflowEncoder(flows, BOOT_MILLIS);
    for (int n = 0; n < 5; n++) {
      ByteBuf b = encode(encoder, n, totals);
      new SflowDecoder(false, false).decode(b, SflowCaptures.SENDER, 0, r);
      b.release();
    }
    assertEquals(List.of(), r.errors);
    assertEquals(totals.records(), r.records.size());
    assertEquals(totals.octets(), r.records.stream().mapToLong(f -> f.octets() * f.samplingInterval()).sum());
    assertEquals(totals.packets(), r.records.stream().mapToLong(f -> f.packets() * f.samplingInterval()).sum());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), r.headers.stream().map(SflowDatagram::sequence).toList());
    FlowRecord first = r.records.get(0);
    assertEquals(IpAddr.ofV4(flows.src(0)), first.sourceAddress());
    assertEquals(flows.protocol(0), first.protocol());
    if (first.protocol() == 6) assertEquals(0x02, first.tcpFlags(), "the flow's opening SYN");
  }

  @Test
  void v5HeaderAndFirstRecord() {
    ExportTotals totals = new ExportTotals();
    ByteBuf b = encode(new NetflowV5Encoder(flows, BOOT_MILLIS), 3, totals);
    assertEquals(24 + 30 * 48, b.readableBytes());
    assertEquals(5, b.getUnsignedShort(0));
    assertEquals(30, b.getUnsignedShort(2));
    assertEquals(3_600_000, b.getUnsignedInt(4)); // sysUptime
    assertEquals(1_700_000_000, b.getUnsignedInt(8));
    assertEquals(250_000_000, b.getUnsignedInt(12));
    assertEquals(90, b.getUnsignedInt(16)); // flow_sequence: records before packet 3
    int i = 90 % 60;
    assertEquals(flows.src(i), b.getInt(24));
    assertEquals(flows.dst(i), b.getInt(28));
    assertEquals(flows.srcPort(i), b.getUnsignedShort(24 + 32));
    assertEquals(flows.dstPort(i), b.getUnsignedShort(24 + 34));
    assertEquals(flows.protocol(i), b.getUnsignedByte(24 + 38));
    long last = b.getUnsignedInt(24 + 28);
    assertEquals(3_600_000 - flows.endAgoMillis(i), last);
    assertEquals(last - flows.durationMillis(i), b.getUnsignedInt(24 + 24));
    assertTrue((flows.src(i) & 0xFFFFFF00) == 0xC0A80400, "source inside 192.168.4.0/24");
  }

  @Test
  void v9CountsTheTemplateRecordAndNumbersPackets() {
    NetflowV9Encoder encoder = new NetflowV9Encoder(flows, BOOT_MILLIS, 10);
    ByteBuf first = encode(encoder, 0, new ExportTotals());
    ByteBuf plain = encode(encoder, 11, new ExportTotals());
    assertEquals(31, first.getUnsignedShort(2));
    assertEquals(0, first.getUnsignedShort(20)); // template flowset first
    assertEquals(30, plain.getUnsignedShort(2));
    assertEquals(11, plain.getUnsignedInt(12));
    assertEquals(256, plain.getUnsignedShort(20));
    int setLength = plain.getUnsignedShort(22);
    assertEquals(0, setLength % 4);
    assertEquals(20 + setLength, plain.readableBytes());
    assertEquals(4 + 30 * NetflowV9Encoder.RECORD_BYTES + 2, setLength); // 1054 padded to 1056
  }

  @Test
  void ipfixLengthAndSequenceFollowRfc7011() {
    IpfixEncoder encoder = new IpfixEncoder(flows, 10);
    ByteBuf first = encode(encoder, 0, new ExportTotals());
    ByteBuf later = encode(encoder, 12, new ExportTotals());
    assertEquals(10, first.getUnsignedShort(0));
    assertEquals(first.readableBytes(), first.getUnsignedShort(2));
    assertEquals(2, first.getUnsignedShort(16));
    assertEquals(later.readableBytes(), later.getUnsignedShort(2));
    assertEquals(12 * 25, later.getUnsignedInt(8));
    assertEquals(1_700_000_000, later.getUnsignedInt(4));
    assertTrue(first.readableBytes() <= 1500 && later.readableBytes() <= 1500, "fits an Ethernet MTU");
    // flowEndMilliseconds of the first record is absolute
    int i = 300 % 60;
    assertEquals(EXPORT_MILLIS - flows.endAgoMillis(i), later.getLong(16 + 4 + 55 - 8));
  }
}
