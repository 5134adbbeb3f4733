package io.flowsentry.collector.netflow.ipfix;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.TemplateDecoders;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IpfixDecoderTest {

  private static final long NOW = 1_700_000_000_000L;
  private static final long EXPORT_SECONDS = 1_700_000_000L;
  private static final long NTP_OFFSET = 2_208_988_800L;

  private final TemplateDecoders d = new TemplateDecoders(NetflowLimits.defaults(), true);
  private final RecordingListener out = new RecordingListener();

  private static ExportWriter message() {
    return ExportWriter.ipfix(EXPORT_SECONDS, 7, 42);
  }

  private FlowRecord single(ExportWriter w) {
    d.feed(w.build(), NOW, out);
    assertEquals(List.of(), out.errors);
    assertEquals(1, out.records.size());
    return out.records.get(0);
  }

  @Test
  void everyTimeEncodingBecomesEpochMillis() {
    long startMillis = 1_699_999_990_123L;
    List<Field> seconds = List.of(Field.of(150, 4), Field.of(151, 4));
    assertTimes(seconds, List.of(startMillis / 1000, EXPORT_SECONDS), startMillis / 1000 * 1000, EXPORT_SECONDS * 1000);

    List<Field> millis = List.of(Field.of(152, 8), Field.of(153, 8));
    assertTimes(millis, List.of(startMillis, startMillis + 5), startMillis, startMillis + 5);

    // NTP: seconds since 1900 and a binary fraction; 0x80000000 = half a second
    List<Field> micros = List.of(Field.of(154, 8), Field.of(155, 8));
    long ntp = ((startMillis / 1000 + NTP_OFFSET) << 32) | 0x8000_0000L;
    assertTimes(micros, List.of(ntp, ntp), startMillis / 1000 * 1000 + 500, startMillis / 1000 * 1000 + 500);
    List<Field> nanos = List.of(Field.of(156, 8), Field.of(157, 8));
    assertTimes(nanos, List.of(ntp, ntp), startMillis / 1000 * 1000 + 500, startMillis / 1000 * 1000 + 500);

    // delta microseconds count back from the export time
    List<Field> delta = List.of(Field.of(158, 4), Field.of(159, 4));
    assertTimes(delta, List.of(2_500_000L, 1_000L), EXPORT_SECONDS * 1000 - 2_500, EXPORT_SECONDS * 1000 - 1);

    // sysUpTime-relative with systemInitTimeMilliseconds in the same record
    List<Field> uptime = List.of(Field.of(22, 4), Field.of(21, 4), Field.of(160, 8));
    long init = 1_600_000_000_000L;
    assertTimes(uptime, List.of(1_000L, 2_000L, init), init + 1_000, init + 2_000);
  }

  @Test
  void sysUpTimeRelativeUsesSystemInitFromOptionsData() {
    List<Field> options = List.of(Field.of(160, 8));
    List<Field> fields = List.of(Field.of(22, 4), Field.of(21, 4));
    long init = 1_600_000_000_000L;
    d.feed(message().optionsTemplate(300, List.of(Field.of(149, 4)), options)
        .data(300, List.of(Field.of(149, 4), Field.of(160, 8)), List.of(List.of(42L, init)))
        .template(301, fields).data(301, fields, List.of(List.of(10L, 20L))).build(), NOW, out);
    assertEquals(List.of(), out.errors);
    assertEquals(init + 10, out.records.get(0).startMillis());
    assertEquals(init + 20, out.records.get(0).endMillis());
    assertEquals(2, out.headers.get(0).dataRecords(), "options records count for the sequence too");
  }

  private void assertTimes(List<Field> fields, List<Object> values, long start, long end) {
    RecordingListener o = new RecordingListener();
    TemplateDecoders fresh = new TemplateDecoders();
    fresh.feed(message().template(400, fields).data(400, fields, List.of(values)).build(), NOW, o);
    assertEquals(List.of(), o.errors, fields.toString());
    assertEquals(start, o.records.get(0).startMillis(), "start from " + fields);
    assertEquals(end, o.records.get(0).endMillis(), "end from " + fields);
  }

  @Test
  void fieldsAreReadInTemplateOrderWhateverTheirWidths() {
    // numbers are read grouped by width; the outcome must still be that of field order
    List<Field> f = List.of(Field.of(8, 4), Field.of(1, 8), Field.of(7, 2), Field.of(4, 1),
        Field.of(1, 4), Field.of(10, 3), Field.of(8, 4), Field.of(11, 2), Field.of(2, 5));
    FlowRecord r = single(message().template(600, f).data(600, f,
        List.of(List.of(0x0A000001L, 111L, 1234L, 6L, 222L, 0x010203L, 0L, 80L, 0x0102030405L))));
    assertEquals("10.0.0.1", r.sourceAddress().toString(), "a later all-zero address does not replace an earlier one");
    assertEquals(222, r.octets(), "the later of two octetDeltaCount fields wins, whatever their widths");
    assertEquals(1234, r.sourcePort());
    assertEquals(80, r.destinationPort());
    assertEquals(6, r.protocol());
    assertEquals(0x010203L, r.inputInterface(), "a 3-byte number");
    assertEquals(0x0102030405L, r.packets(), "a 5-byte number");
  }

  @Test
  void aRecordWithSeveralStartEncodingsTakesTheFinest() {
    long startMillis = 1_699_999_990_123L;
    List<Field> f = List.of(Field.of(152, 8), Field.of(150, 4), Field.of(151, 4), Field.of(153, 8));
    assertTimes(f, List.of(startMillis, startMillis / 1000, startMillis / 1000 + 1, startMillis + 5),
        startMillis, startMillis + 5);
  }

  @Test
  void ipv6IcmpInterfacesDirectionsAndReducedSize() {
    List<Field> f = List.of(Field.of(27, 16), Field.of(28, 16), Field.of(4, 1), Field.of(139, 2),
        Field.of(252, 4), Field.of(253, 2), Field.of(61, 1), Field.of(239, 1),
        Field.of(1, 3), Field.of(2, 1)); // octetDeltaCount in 3 bytes, packetDeltaCount in 1: reduced size
    byte[] src = new byte[16];
    byte[] dst = new byte[16];
    src[0] = 0x20; src[1] = 0x01; src[2] = 0x0d; src[3] = (byte) 0xb8; src[15] = 1;
    dst[0] = 0x20; dst[1] = 0x01; dst[2] = 0x0d; dst[3] = (byte) 0xb8; dst[15] = 2;
    FlowRecord r = single(message().template(500, f).data(500, f,
        List.of(List.of(src, dst, 58L, (128L << 8) | 3, 7L, 9L, 1L, 2L, 0x123456L, 200L))));
    assertEquals("2001:db8::1", r.sourceAddress().toString());
    assertEquals("2001:db8::2", r.destinationAddress().toString());
    assertEquals(128, r.icmpType());
    assertEquals(3, r.icmpCode());
    assertEquals(7, r.inputInterface(), "ingressPhysicalInterface when ingressInterface is absent");
    assertEquals(9, r.outputInterface());
    assertEquals(1, r.flowDirection());
    assertEquals(2, r.biflowDirection());
    assertEquals(0x123456L, r.octets());
    assertEquals(200, r.packets());
    assertEquals(42, r.observationDomain());
    assertEquals(500, r.templateId());
    assertEquals(EXPORT_SECONDS * 1000, r.exportTimeMillis());
    assertEquals("2001:db8::1", r.raw().get("sourceIPv6Address"));
    assertEquals(0x123456L, r.raw().get("octetDeltaCount"));
  }

  @Test
  void variableLengthFieldsWithOneAndThreeByteLengthsAndEnterpriseElements() {
    List<Field> f = List.of(Field.of(8, 4), Field.of(82, 0xFFFF), new Field(9, 77, 3), new Field(9, 78, 0xFFFF),
        new Field(29305, 1, 8), new Field(29305, 2, 4), Field.of(12, 4));
    String longName = "x".repeat(300); // 3-byte length encoding (255 then 2 bytes)
    d.feed(message().template(600, f).data(600, f, List.of(
        List.of(0x0A000001L, "eth0", new byte[] {1, 2, 3}, new byte[0], 5000L, 7L, 0x0A000002L),
        List.of(0x0A000003L, longName, new byte[] {4, 5, 6}, new byte[] {9}, 6000L, 8L, 0x0A000004L))).build(), NOW, out);
    assertEquals(List.of(), out.errors);
    assertEquals(2, out.records.size());
    FlowRecord a = out.records.get(0);
    FlowRecord b = out.records.get(1);
    assertEquals("10.0.0.2", a.destinationAddress().toString(), "fields after variable-length and enterprise ones");
    assertEquals(4, out.enterpriseElementsSkipped, "PEN 9 elements 77 and 78 in 2 records; PEN 29305 ones are decoded");
    assertEquals("10.0.0.4", b.destinationAddress().toString());
    assertEquals(5000, a.reverseOctets());
    assertEquals(7, a.reversePackets());
    assertEquals(6000, b.reverseOctets());
    assertEquals("eth0", a.raw().get("interfaceName"));
    assertEquals(longName, b.raw().get("interfaceName"));
    assertEquals("010203", a.raw().get("e9id77"));
    assertEquals(7L, a.raw().get("reversePacketDeltaCount"));
  }

  @Test
  void withdrawalAndWithdrawAll() {
    List<Field> f = List.of(Field.of(8, 4));
    d.feed(message().template(700, f).template(701, f).optionsTemplate(702, List.of(Field.of(149, 4)),
        List.of(Field.of(34, 4))).build(), NOW, out);
    assertEquals(3, d.ipfixStore.templateCount());
    // withdrawal: field count 0
    d.feed(message().rawSet(2, 8, new byte[] {0x02, (byte) 0xBC, 0, 0}).build(), NOW, out);
    assertEquals(2, d.ipfixStore.templateCount());
    // withdraw all data templates of the domain: template id 2; the options template stays
    d.feed(message().rawSet(2, 8, new byte[] {0, 2, 0, 0}).build(), NOW, out);
    assertEquals(1, d.ipfixStore.templateCount());
    d.feed(message().rawSet(3, 8, new byte[] {0, 3, 0, 0}).build(), NOW, out);
    assertEquals(0, d.ipfixStore.templateCount());
    assertEquals(List.of(), out.errors);
    // data for a withdrawn template waits for a new definition
    d.feed(message().data(701, f, List.of(List.of(1L))).build(), NOW, out);
    assertEquals(0, out.records.size());
    assertEquals(1, d.ipfixStore.pending().size());
  }

  @Test
  void biflowAndNselCountersFallBack() {
    List<Field> f = List.of(Field.of(231, 8), Field.of(232, 8), Field.of(298, 4), Field.of(299, 4),
        Field.of(148, 4), Field.of(233, 1), Field.of(323, 8));
    FlowRecord r = single(message().template(800, f).data(800, f,
        List.of(List.of(1000L, 2000L, 10L, 20L, 77L, 2L, 1_699_999_999_000L))));
    assertEquals(1000, r.octets(), "initiatorOctets when octetDeltaCount is absent");
    assertEquals(2000, r.reverseOctets(), "responderOctets");
    assertEquals(10, r.packets());
    assertEquals(20, r.reversePackets());
    assertEquals(77, r.connectionId());
    assertEquals(2, r.firewallEvent());
    assertEquals(1_699_999_999_000L, r.startMillis(), "event time when no flow start is given");
    assertEquals(1_699_999_999_000L, r.endMillis());
  }

  @Test
  void samplingFromRecordFieldsAndFromOptionsKeyedBySelector() {
    List<Field> scope = List.of(Field.of(302, 4));
    List<Field> opts = List.of(Field.of(309, 4), Field.of(310, 4));
    List<Field> data = List.of(Field.of(8, 4), Field.of(302, 4));
    d.feed(message().optionsTemplate(900, scope, opts)
        .data(900, List.of(Field.of(302, 4), Field.of(309, 4), Field.of(310, 4)),
            List.of(List.of(5L, 1L, 512L), List.of(6L, 1L, 64L)))
        .template(901, data).data(901, data, List.of(List.of(1L, 5L), List.of(2L, 6L), List.of(3L, 7L))).build(), NOW, out);
    assertEquals(List.of(), out.errors);
    assertEquals(512, out.records.get(0).samplingInterval());
    assertEquals(64, out.records.get(1).samplingInterval());
    assertEquals(0, out.records.get(2).samplingInterval(), "selector 7 announced nothing, nor did the domain");
    assertEquals(5, out.records.get(0).samplerId());
  }

  @Test
  void heldDataComesOutWithTheListenerOfTheTemplateMessage() {
    List<Field> f = List.of(Field.of(8, 4), Field.of(1, 4));
    d.feed(message().data(1000, f, List.of(List.of(1L, 10L), List.of(2L, 20L))).build(), NOW, out);
    assertTrue(out.records.isEmpty());
    RecordingListener later = new RecordingListener();
    d.feed(message().template(1000, f).build(), NOW + 10_000, later);
    assertEquals(2, later.records.size());
    assertEquals(20, later.records.get(1).octets());
    assertEquals(0, later.headers.get(0).dataRecords(), "held records belong to the earlier message");
  }

  @Test
  void heldDataExpiresAfterThePendingTimeout() {
    List<Field> f = List.of(Field.of(8, 4));
    d.feed(message().data(1100, f, List.of(List.of(1L))).build(), NOW, out);
    RecordingListener later = new RecordingListener();
    d.feed(message().template(1100, f).build(), NOW + 61_000, later);
    assertEquals(List.of(), later.records);
    assertEquals(List.of(DecodeError.PENDING_EXPIRED), later.reasons());
  }

  @Test
  void rawIsOnlyKeptWhenAsked() {
    TemplateDecoders plain = new TemplateDecoders();
    RecordingListener o = new RecordingListener();
    List<Field> f = List.of(Field.of(8, 4));
    plain.feed(message().template(1200, f).data(1200, f, List.of(List.of(1L))).build(), NOW, o);
    assertNull(o.records.get(0).raw());
    assertEquals(Map.of("sourceIPv4Address", "0.0.0.1"), single(message().template(1200, f)
        .data(1200, f, List.of(List.of(1L)))).raw());
  }

  @Test
  void storeSharedWithV9KeepsTheProtocolsApart() {
    TemplateStore shared = new TemplateStore(NetflowLimits.defaults());
    NetflowV9Decoder v9 = new NetflowV9Decoder(shared, NetflowLimits.defaults(), false);
    IpfixDecoder ipfix = new IpfixDecoder(shared, NetflowLimits.defaults(), false);
    List<Field> f = List.of(Field.of(8, 4));
    v9.decode(Unpooled.wrappedBuffer(ExportWriter.v9(1000, EXPORT_SECONDS, 1, 42).template(1300, f).build()),
        TemplateDecoders.EXPORTER, NOW, out);
    ipfix.decode(Unpooled.wrappedBuffer(message().data(1300, f, List.of(List.of(9L))).build()),
        TemplateDecoders.EXPORTER, NOW, out);
    assertEquals(List.of(), out.records, "a v9 template never decodes IPFIX data");
    v9.decode(Unpooled.wrappedBuffer(ExportWriter.v9(1000, EXPORT_SECONDS, 2, 42).template(1300, f).build()),
        TemplateDecoders.EXPORTER, NOW, out);
    assertEquals(List.of(), out.records, "nor takes it from the held data");
    ipfix.decode(Unpooled.wrappedBuffer(message().template(1300, f).build()), TemplateDecoders.EXPORTER, NOW, out);
    assertEquals(1, out.records.size());
    assertEquals(10, out.records.get(0).version());
  }
}
