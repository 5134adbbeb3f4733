package io.flowsentry.collector.netflow.ipfix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.AkvoradoCases;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.flowsentry.collector.netflow.template.TemplateDecoders;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real IPFIX captures (akvorado): every expected value our records carry matches. */
class IpfixGoldenTest {

  private static final long RECEIVED = 1_700_000_000_000L;

  @ParameterizedTest
  @ValueSource(strings = {"TestDecodeMPLS", "TestDecodePhysicalInterfaces"})
  void akvoradoCase(String test) {
    List<FlowRecord> records = decode(test, false);
    AkvoradoCases.Case c = AkvoradoCases.load(test);
    int asserted = c.flows().size(); // akvorado asserts the leading records only
    assertTrue(records.size() >= asserted);
    for (int i = 0; i < asserted; i++) {
      AkvoradoCases.assertFlow(c.flows().get(i), records.get(i), Set.of(), test + " record " + i);
      assertEquals(10, records.get(i).version());
    }
  }

  /** akvorado runs its SRv6 case with decapsulation on (inputs.netflow.decapsulation: srv6), the others without. */
  @ParameterizedTest
  @ValueSource(strings = {"TestDecodeDataLink", "TestDecodeSRv6", "TestJuniperCPIDDrop"})
  void akvoradoFrameSectionCase(String test) {
    List<FlowRecord> records = decode(test, true, test.equals("TestDecodeSRv6") ? Decapsulation.SRV6 : Decapsulation.NONE);
    AkvoradoCases.Case c = AkvoradoCases.load(test);
    assertTrue(records.size() >= c.flows().size()); // akvorado asserts the leading records only
    for (int i = 0; i < c.flows().size(); i++) {
      AkvoradoCases.assertFlow(c.flows().get(i), records.get(i), Set.of(), test + " record " + i);
      Map<String, Object> raw = records.get(i).raw();
      assertTrue(raw.get("dataLinkFrameSection") instanceof String s && !s.isEmpty(), "variable-length frame kept raw");
    }
  }

  @Test
  void srv6PacketWithoutDecapsulationIsReportedByItsOuterHeader() {
    FlowRecord r = decode("TestDecodeSRv6", true).get(0);
    assertTrue(r.sourceAddress().v6() && r.destinationAddress().v6(), "outer IPv6 header: " + r);
    assertEquals(IpAddr.parse("8.8.8.8"), decode("TestDecodeSRv6", true, Decapsulation.SRV6).get(0).sourceAddress());
  }

  /** akvorado's EVPN test keeps one of the ten records (its own filter); it must be among ours. */
  @Test
  void akvoradoEvpnRecordIsAmongTheDecodedOnes() {
    List<FlowRecord> records = decode("TestDecodeEVPN", true);
    JsonNode expected = AkvoradoCases.load("TestDecodeEVPN").flows().get(0);
    assertEquals(10, records.size());
    long matching = records.stream().filter(r -> {
      try {
        AkvoradoCases.assertFlow(expected, r, Set.of(), "EVPN");
        return true;
      } catch (AssertionError e) {
        return false;
      }
    }).count();
    assertEquals(1, matching, "akvorado's record, addresses from the frame inside the MPLS pseudowire");
  }

  /** RFC 5103 biflows: akvorado splits each into a forward flow and, when it has packets, a reverse one. */
  @Test
  void akvoradoRfc5103Biflows() {
    List<FlowRecord> records = decode("TestDecodeRFC5103", true);
    List<JsonNode> flows = AkvoradoCases.load("TestDecodeRFC5103").flows();
    int next = 0;
    for (FlowRecord r : records) {
      AkvoradoCases.assertFlow(flows.get(next++), r, Set.of(), "forward of " + r);
      if (r.reversePackets() > 0) {
        JsonNode reverse = flows.get(next++);
        assertEquals(reverse.get("Bytes").asLong(), r.reverseOctets(), "reverse octets of " + r);
        assertEquals(reverse.get("Packets").asLong(), r.reversePackets(), "reverse packets of " + r);
        assertEquals(r.reverseOctets(), ((Number) r.raw().get("reverseOctetDeltaCount")).longValue());
      }
      assertTrue(r.startMillis() > 0 && r.endMillis() >= r.startMillis(), "microsecond NTP times");
    }
    assertEquals(flows.size(), next);
  }

  @Test
  void akvoradoDataWithoutTemplateYieldsNothingUntilTheTemplateArrives() {
    TemplateDecoders d = new TemplateDecoders();
    RecordingListener out = new RecordingListener();
    d.feedPcaps(AkvoradoCases.pcapDir(), RECEIVED, out, "datalink-data.pcap");
    assertEquals(List.of(), out.records);
    assertEquals(-1, out.headers.get(0).dataRecords());
    d.feedPcaps(AkvoradoCases.pcapDir(), RECEIVED + 500, out, "datalink-template.pcap");
    assertEquals(1, out.records.size());
    AkvoradoCases.assertFlow(AkvoradoCases.load("TestDecodeDataLink").flows().get(0), out.records.get(0),
        Set.of(), "held record");
  }

  @Test
  void withoutKeepRawRecordsHaveNoRawMap() {
    List<FlowRecord> records = decode("TestDecodeMPLS", false);
    assertNull(records.get(0).raw());
  }

  private static List<FlowRecord> decode(String test, boolean keepRaw) {
    return decode(test, keepRaw, Decapsulation.NONE);
  }

  private static List<FlowRecord> decode(String test, boolean keepRaw, Decapsulation decapsulation) {
    TemplateDecoders d = new TemplateDecoders(NetflowLimits.defaults(), keepRaw, decapsulation);
    RecordingListener out = new RecordingListener();
    d.feedPcaps(AkvoradoCases.pcapDir(), RECEIVED, out, AkvoradoCases.load(test).pcaps().toArray(String[]::new));
    assertEquals(List.of(), out.errors, test + " decodes cleanly");
    assertTrue(out.headers.stream().allMatch(h -> h.version() == 10), test + " holds IPFIX messages only");
    return out.records;
  }
}
