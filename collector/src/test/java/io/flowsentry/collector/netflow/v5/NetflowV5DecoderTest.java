package io.flowsentry.collector.netflow.v5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.template.AkvoradoCases;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.flowsentry.collector.netflow.v5.V5Datagrams.Header;
import io.flowsentry.collector.netflow.v5.V5Datagrams.Rec;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.testing.SharedTestData;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NetflowV5DecoderTest {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);
  private static final ObjectMapper JSON = new ObjectMapper();

  static RecordingListener decode(byte[] datagram, boolean keepRaw) {
    RecordingListener l = new RecordingListener();
    new NetflowV5Decoder(keepRaw).decode(Unpooled.wrappedBuffer(datagram), EXPORTER, 0, l);
    return l;
  }

  private static int ip(String s) {
    return IpAddr.parse(s).v4();
  }

  @Test
  void decodesEveryHeaderAndRecordField() {
    Rec rec = new Rec(ip("10.1.2.3"), ip("198.51.100.7"), ip("10.0.0.254"), 65535, 7, 4_000_000_000L,
        4_294_967_295L, 90_000, 99_500, 51000, 443, 0x1B, 6, 0xB8, 65001, 64512, 24, 16);
    Header h = new Header(1, 100_000, 1_700_000_000L, 123_456_789, 4_294_967_290L, 1, 2, (1 << 14) | 100);
    RecordingListener l = decode(V5Datagrams.datagram(h, List.of(rec)), true);

    assertEquals(List.of(), l.errors);
    long export = 1_700_000_000_123L;
    assertEquals(List.of(new MessageHeader(5, 1, 100_000, export, 4_294_967_290L, 0x0102, 1)), l.headers);
    FlowRecord r = l.records.getFirst();
    assertEquals(5, r.version());
    assertEquals(IpAddr.parse("192.0.2.1"), r.exporter());
    assertEquals(0x0102, r.observationDomain());
    assertEquals(0, r.templateId());
    assertEquals(export, r.exportTimeMillis());
    assertEquals(IpAddr.parse("10.1.2.3"), r.sourceAddress());
    assertEquals(IpAddr.parse("198.51.100.7"), r.destinationAddress());
    assertEquals(65535, r.inputInterface());
    assertEquals(7, r.outputInterface());
    assertEquals(4_000_000_000L, r.packets());
    assertEquals(4_294_967_295L, r.octets());
    assertEquals(export - 10_000, r.startMillis());
    assertEquals(export - 500, r.endMillis());
    assertEquals(51000, r.sourcePort());
    assertEquals(443, r.destinationPort());
    assertEquals(0x1B, r.tcpFlags());
    assertEquals(6, r.protocol());
    assertEquals(0xB8, r.tos());
    assertEquals(100, r.samplingInterval());
    assertEquals(-1, r.reverseOctets());
    assertEquals(-1, r.icmpType());
    assertEquals(Map.ofEntries(
        Map.entry("sourceIPv4Address", "10.1.2.3"), Map.entry("destinationIPv4Address", "198.51.100.7"),
        Map.entry("ipNextHopIPv4Address", "10.0.0.254"), Map.entry("ingressInterface", 65535),
        Map.entry("egressInterface", 7), Map.entry("packetDeltaCount", 4_000_000_000L),
        Map.entry("octetDeltaCount", 4_294_967_295L), Map.entry("flowStartSysUpTime", 90_000L),
        Map.entry("flowEndSysUpTime", 99_500L), Map.entry("sourceTransportPort", 51000),
        Map.entry("destinationTransportPort", 443), Map.entry("tcpControlBits", 0x1B),
        Map.entry("protocolIdentifier", 6), Map.entry("ipClassOfService", 0xB8),
        Map.entry("bgpSourceAsNumber", 65001), Map.entry("bgpDestinationAsNumber", 64512),
        Map.entry("sourceIPv4PrefixLength", 24), Map.entry("destinationIPv4PrefixLength", 16),
        Map.entry("systemInitTimeMilliseconds", export - 100_000), Map.entry("engineType", 1),
        Map.entry("engineId", 2), Map.entry("samplingAlgorithm", 1), Map.entry("samplingInterval", 100)),
        r.raw());
  }

  @Test
  void withoutKeepRawRecordsCarryNoRawMap() {
    assertNull(decode(V5Datagrams.synthetic(2, 0), false).records.getFirst().raw());
  }

  @Test
  void samplingIntervalAppliesWhateverTheModeBits() {
    assertEquals(512, decode(sampled(512), false).records.getFirst().samplingInterval());
    assertEquals(0x3FFF, decode(sampled(0xFFFF), false).records.getFirst().samplingInterval());
  }

  private static byte[] sampled(int sampling) {
    return V5Datagrams.datagram(new Header(1, 1000, 1_700_000_000L, 0, 0, 0, 0, sampling),
        List.of(new Rec(1, 2, 0, 0, 0, 1, 40, 1000, 1000, 1, 2, 0, 17, 0, 0, 0, 0, 0)));
  }

  @Test
  void flowTimesSurviveTheUptimeWrapAndSmallClockSkew() {
    // sysUptime wrapped to 1000 ms; First was taken 5096 ms earlier, just before the wrap
    Rec beforeWrap = new Rec(1, 2, 0, 0, 0, 1, 40, 0xFFFF_F000L, 500, 1, 2, 0, 17, 0, 0, 0, 0, 0);
    // Last a few ms "after" the export (exporter clock skew)
    Rec skewed = new Rec(1, 2, 0, 0, 0, 1, 40, 900, 1005, 1, 2, 0, 17, 0, 0, 0, 0, 0);
    RecordingListener l = decode(V5Datagrams.datagram(
        new Header(2, 1000, 1_700_000_000L, 0, 0, 0, 0, 0), List.of(beforeWrap, skewed)), false);
    long export = 1_700_000_000_000L;
    assertEquals(export - 5096, l.records.get(0).startMillis());
    assertEquals(export - 500, l.records.get(0).endMillis());
    assertEquals(export - 100, l.records.get(1).startMillis());
    assertEquals(export + 5, l.records.get(1).endMillis());
  }

  record Malformed(String name, byte[] datagram, List<DecodeError> errors, int headers, int records) {}

  static Stream<Arguments> malformed() {
    byte[] two = V5Datagrams.synthetic(2, 0);
    byte[] lyingCount = two.clone();
    lyingCount[3] = 3;
    byte[] countWithoutRecords = Arrays.copyOf(two, 24);
    countWithoutRecords[3] = 30;
    byte[] zeroCount = two.clone();
    zeroCount[3] = 0;
    byte[] v9 = two.clone();
    v9[1] = 9;
    return Stream.of(
        new Malformed("empty datagram", new byte[0], List.of(DecodeError.TRUNCATED_HEADER), 0, 0),
        new Malformed("one byte", new byte[] {0}, List.of(DecodeError.TRUNCATED_HEADER), 0, 0),
        new Malformed("header one byte short", Arrays.copyOf(two, 23), List.of(DecodeError.TRUNCATED_HEADER), 0, 0),
        new Malformed("not version 5", v9, List.of(DecodeError.UNKNOWN_VERSION), 0, 0),
        new Malformed("count says 3, datagram holds 2", lyingCount, List.of(DecodeError.BAD_LENGTH), 1, 2),
        new Malformed("count says 30, no records", countWithoutRecords, List.of(DecodeError.BAD_LENGTH), 1, 0),
        new Malformed("second record cut short", Arrays.copyOf(two, 24 + 48 + 20), List.of(DecodeError.BAD_LENGTH), 1, 1),
        new Malformed("count 0 with records present", zeroCount, List.of(), 1, 0),
        new Malformed("trailing padding", Arrays.copyOf(two, two.length + 10), List.of(), 1, 2))
        .map(c -> Arguments.argumentSet(c.name(), c));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedInputIsReportedAndWhatFitsIsDecoded(Malformed m) {
    RecordingListener l = decode(m.datagram(), false);
    assertEquals(m.errors(), l.reasons(), () -> l.errors.toString());
    assertEquals(m.headers(), l.headers.size());
    assertEquals(m.records(), l.records.size());
    l.errors.forEach(e -> assertTrue(!e.detail().isBlank()));
  }

  @Test
  void akvorado_nfv5_pcap() throws Exception {
    List<CapturedDatagram> datagrams = PcapReader.readAll(SharedTestData.path("testdata/netflow/akvorado/pcap/nfv5.pcap"));
    assertEquals(1, datagrams.size());
    RecordingListener l = new RecordingListener();
    CapturedDatagram d = datagrams.getFirst();
    new NetflowV5Decoder(true).decode(Unpooled.wrappedBuffer(d.payload()), d.sender(), d.timestampMicros() / 1000, l);

    assertEquals(List.of(), l.errors);
    // values read off the capture's header bytes
    assertEquals(List.of(new MessageHeader(5, 29, 2_874_339_000L, 1_680_626_679_000L, 1_961_402_419L, 3, 29)), l.headers);
    assertEquals(29, l.records.size());

    JsonNode expected = AkvoradoCases.load("TestDecodeNFv5").flows().getFirst();
    FlowRecord r = l.records.getFirst();
    assertEquals(unmapped(expected.get("SrcAddr").asText()), r.sourceAddress().toString());
    assertEquals(unmapped(expected.get("DstAddr").asText()), r.destinationAddress().toString());
    assertEquals(unmapped(expected.get("NextHop").asText()), r.raw().get("ipNextHopIPv4Address"));
    assertEquals(expected.get("SamplingRate").asLong(), Math.max(1, r.samplingInterval()));
    assertEquals(expected.get("InIf").asLong(), r.inputInterface());
    assertEquals(expected.get("OutIf").asLong(), r.outputInterface());
    assertEquals(expected.get("SrcAS").asInt(), r.raw().get("bgpSourceAsNumber"));
    assertEquals(expected.get("DstAS").asInt(), r.raw().get("bgpDestinationAsNumber"));
    assertEquals(expected.get("SrcNetMask").asInt(), r.raw().get("sourceIPv4PrefixLength"));
    assertEquals(expected.get("DstNetMask").asInt(), r.raw().get("destinationIPv4PrefixLength"));
    assertEquals(expected.get("Bytes").asLong(), r.octets());
    assertEquals(expected.get("Packets").asLong(), r.packets());
    assertEquals("ProtoTCP", expected.get("Proto").asText());
    assertEquals(6, r.protocol());
    assertEquals(expected.get("SrcPort").asInt(), r.sourcePort());
    assertEquals(expected.get("DstPort").asInt(), r.destinationPort());
    assertEquals(expected.get("TCPFlags").asInt(), r.tcpFlags());
    // First = sysUptime - 15 s. (akvorado's own first_switched time, 1680611679, subtracts the
    // millisecond uptimes as if they were seconds; NOTES.md says not to take it as a rule.)
    assertEquals(1_680_626_664_000L, r.startMillis());
    assertEquals(1_680_626_664_000L, r.endMillis());
    for (FlowRecord each : l.records) {
      assertEquals(3, each.observationDomain());
      assertTrue(each.startMillis() <= each.endMillis() && each.endMillis() <= 1_680_626_679_000L, each::toString);
    }
  }

  @Test
  void goflow2_nfv5_bin() throws Exception {
    byte[] bin = Files.readAllBytes(SharedTestData.path("testdata/netflow/goflow2/nfv5.bin"));
    JsonNode c = goflow2Case("nfv5.bin");
    RecordingListener l = decode(bin, false);
    assertEquals(List.of(), l.errors);
    assertEquals(c.get("version").asInt(), l.headers.getFirst().version());
    assertEquals(c.get("expect_header").get("count").asInt(), l.headers.getFirst().count());
    assertEquals(c.get("expect_header").get("count").asInt(), l.records.size());
    for (JsonNode e : c.get("expect")) {
      FlowRecord r = l.records.get(e.get("_index").asInt());
      assertEquals(e.get("input_snmp").asLong(), r.inputInterface());
    }
    // header bytes: sysUptime 0x0082c348, unix_secs 0x5bcdba1b, nsecs 0x05976dc7, sequence 0x643d, engine 8/8
    assertEquals(new MessageHeader(5, 6, 0x0082c348L, 0x5bcdba1bL * 1000 + 0x05976dc7L / 1_000_000, 0x643d, 0x0808, 6),
        l.headers.getFirst());
  }

  private static String unmapped(String akvoradoAddress) {
    return akvoradoAddress.startsWith("::ffff:") ? akvoradoAddress.substring(7) : akvoradoAddress;
  }

  static JsonNode goflow2Case(String file) throws Exception {
    JsonNode root = JSON.readTree(SharedTestData.path("testdata/netflow/goflow2/expected.json").toFile());
    for (JsonNode c : root.get("cases")) {
      if (c.get("files").size() == 1 && c.get("files").get(0).asText().equals(file)) return c;
    }
    throw new AssertionError("no case for " + file + " in expected.json");
  }
}
