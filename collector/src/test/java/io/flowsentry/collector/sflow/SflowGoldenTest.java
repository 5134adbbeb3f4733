package io.flowsentry.collector.sflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.ExportProtocol;
import io.flowsentry.collector.netflow.FlowRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real sFlow captures (../shared/testdata/sflow, from akvorado's and goflow2's own tests):
 * every value of expected.jsonl that our records carry matches, and the datagram header and every
 * flow sample match the wire values read from the bytes. Values our records do not carry (EtherType,
 * TTL, fragment id, flow label) are left out; akvorado's conventions are mapped as its NOTES.md says.
 */
class SflowGoldenTest {

  /** Expected keys and how to read the same value from a record (absent in akvorado's output = 0). */
  private static final Map<String, Function<FlowRecord, Object>> FIELDS = Map.ofEntries(
      Map.entry("sampling_rate", r -> r.samplingInterval()),
      Map.entry("in_if", r -> Math.max(r.inputInterface(), 0)),
      Map.entry("out_if", r -> Math.max(r.outputInterface(), 0)),
      Map.entry("src_addr", r -> r.sourceAddress().toString()),
      Map.entry("dst_addr", r -> r.destinationAddress().toString()),
      Map.entry("agent", r -> r.raw().get("agentAddress")),
      Map.entry("bytes", r -> r.octets()),
      Map.entry("packets", r -> r.packets()),
      Map.entry("proto", r -> (long) r.protocol()),
      Map.entry("src_port", r -> (long) Math.max(r.sourcePort(), 0)),
      Map.entry("dst_port", r -> (long) Math.max(r.destinationPort(), 0)),
      Map.entry("tcp_flags", r -> (long) Math.max(r.tcpFlags(), 0)),
      Map.entry("ip_tos", r -> (long) Math.max(r.tos(), 0)),
      Map.entry("icmp_type", r -> (long) Math.max(r.icmpType(), 0)),
      Map.entry("src_mac", r -> r.raw().get("sourceMacAddress")),
      Map.entry("dst_mac", r -> r.raw().get("destinationMacAddress")),
      Map.entry("src_vlan", r -> vlan(r.raw().get("vlanId"))),
      Map.entry("dst_vlan", r -> vlan(r.raw().get("postVlanId"))),
      Map.entry("next_hop", SflowGoldenTest::nextHop),
      Map.entry("src_mask", r -> orZero(r.raw().get("sourcePrefixLength"))),
      Map.entry("dst_mask", r -> orZero(r.raw().get("destinationPrefixLength"))),
      Map.entry("src_as", SflowGoldenTest::sourceAs),
      Map.entry("dst_as", SflowGoldenTest::destinationAs),
      Map.entry("dst_as_path", r -> r.raw().getOrDefault("bgpDestinationAsPath", List.of())),
      Map.entry("dst_communities", r -> r.raw().getOrDefault("bgpCommunities", List.of())));

  static Stream<JsonNode> akvoradoCases() {
    return SflowCaptures.expected().stream()
        .filter(c -> c.path("source").asText().equals("akvorado") && c.path("expected").isArray())
        // akvorado's optional VXLAN decapsulation is not an sFlow feature, and flowsentry has none
        .filter(c -> !c.path("options").path("decapsulation").asText().equals("vxlan"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("akvoradoCases")
  void akvoradoFlowsMatch(JsonNode c) {
    SflowCaptures.Recording r = decodeCapture(c.path("pcap").asText());
    assertEquals(List.of(), r.errors, "no decode errors");
    JsonNode expected = c.path("expected");
    assertEquals(expected.size(), r.records.size(), c.path("test") + ": flows");
    boolean subset = c.path("comparison").asText().equals("subset");
    for (int i = 0; i < expected.size(); i++) {
      FlowRecord record = r.records.get(i);
      assertEquals(ExportProtocol.SFLOW_VERSION, record.version());
      String where = c.path("test").asText() + " flow " + i;
      for (Map.Entry<String, Function<FlowRecord, Object>> f : FIELDS.entrySet()) {
        JsonNode want = expected.get(i).get(f.getKey());
        Object ours = normalize(f.getValue().apply(record));
        if (want == null) {
          // absent from akvorado's output: zero (its optional columns cannot hold 0), unless only a subset was checked
          if (!subset) assertTrue(isZero(ours), where + ": " + f.getKey() + " is " + ours + ", expected zero or absent");
          continue;
        }
        assertEquals(normalize(want), ours, where + ": " + f.getKey());
      }
    }
  }

  /** akvorado's TestFlowDecode/sflow counts: datagrams, flow samples, flow sample records. */
  @Test
  void akvoradoCountsMatch() {
    JsonNode c = SflowCaptures.expected().stream()
        .filter(n -> n.path("comparison").asText().equals("count_only")).findFirst().orElseThrow();
    SflowCaptures.Recording r = decodeCapture(c.path("pcap").asText());
    JsonNode counts = c.path("expected_counts");
    assertEquals(counts.path("datagrams").asInt(), r.headers.size());
    assertEquals(counts.path("flow_samples").asInt(), r.flowSamples.size());
    assertEquals(counts.path("flow_sample_records").asLong(), r.flowSamples.stream().mapToLong(FlowSample::records).sum());
  }

  static Stream<JsonNode> everyCase() {
    return SflowCaptures.expected().stream().filter(c -> c.has("wire"));
  }

  /** The header and each sample as read from the bytes (checked by the data's authors against tshark). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("everyCase")
  void wireValuesMatch(JsonNode c) {
    SflowCaptures.Recording r = decodeCapture(c.has("bin") ? c.path("bin").asText() : c.path("pcap").asText());
    assertEquals(List.of(), r.errors, "no decode errors (trailing bytes after the declared samples are ignored)");
    JsonNode wire = c.path("wire");
    SflowDatagram h = r.headers.get(0);
    assertEquals(wire.path("agent").asText(), h.agent().toString());
    assertEquals(wire.path("sub_agent_id").asLong(), h.subAgentId());
    assertEquals(wire.path("sequence").asLong(), h.sequence());
    assertEquals(wire.path("uptime_ms").asLong(), h.uptimeMillis());
    assertEquals(wire.path("num_samples").asLong(), h.samples());
    List<FlowSample> flows = new ArrayList<>(r.flowSamples);
    int discards = 0;
    for (JsonNode s : wire.path("samples")) {
      String type = s.path("type").asText();
      if (type.equals("discard")) {
        DiscardSample d = r.discardSamples.get(discards++);
        assertEquals(s.path("seq").asLong(), d.sequence());
        assertEquals(s.path("records").size(), d.records());
        continue;
      }
      assertTrue(type.equals("flow") || type.equals("expanded_flow"), "sample type " + type);
      FlowSample f = flows.remove(0);
      assertEquals(type.equals("expanded_flow"), f.expanded());
      assertEquals(s.path("seq").asLong(), f.sequence());
      assertEquals(s.path("source_id_type").asInt(), f.sourceIdType());
      assertEquals(s.path("source_id_index").asLong(), f.sourceIdIndex());
      assertEquals(s.path("sampling_rate").asLong(), f.samplingRate());
      assertEquals(s.path("sample_pool").asLong(), f.samplePool());
      assertEquals(s.path("drops").asLong(), f.drops());
      assertEquals(s.path("input_format").asInt(), f.inputFormat());
      assertEquals(s.path("input_value").asLong(), f.inputValue());
      assertEquals(s.path("output_format").asInt(), f.outputFormat());
      assertEquals(s.path("output_value").asLong(), f.outputValue());
      assertEquals(s.path("records").size(), f.records());
    }
    assertTrue(flows.isEmpty(), "flow samples beyond the wire's");
    assertEquals(discards, r.discardSamples.size());
  }

  /** goflow2's discard-sample tests: one sample with one record, of a format not decoded (skipped by length). */
  @Test
  void goflow2DiscardSamples() {
    for (String test : List.of("TestSFlowDecodeDropEgressQueue", "TestSFlowDecodeDropExtendedFunction")) {
      SflowCaptures.Recording r = decodeCapture("goflow2/" + test + ".bin");
      assertEquals(List.of(), r.errors, test);
      assertEquals(1, r.discardSamples.size(), test);
      assertEquals(1, r.discardSamples.get(0).records(), test);
      assertEquals(List.of(), r.records, test + ": a discarded packet is no connection");
    }
  }

  /** goflow2's vectors that assert only "no error": the sampled packets tshark dissects. */
  @Test
  void goflow2SampledHeadersMatchTshark() {
    for (JsonNode c : SflowCaptures.expected()) {
      if (!c.has("tshark_header")) continue;
      SflowCaptures.Recording r = decodeCapture(c.path("bin").asText());
      JsonNode headers = c.path("tshark_header");
      assertEquals(headers.size(), r.records.size(), c.path("test").asText());
      for (int i = 0; i < headers.size(); i++) {
        JsonNode h = headers.get(i);
        FlowRecord f = r.records.get(i);
        String where = c.path("test").asText() + " sample " + i;
        assertEquals(h.path("src_addr").asText(), f.sourceAddress().toString(), where);
        assertEquals(h.path("dst_addr").asText(), f.destinationAddress().toString(), where);
        assertEquals(h.path("proto").asInt(), f.protocol(), where);
        assertEquals(h.path("ip_length").asLong(), f.octets(), where);
        assertEquals(h.path("ip_tos").asInt(), f.tos(), where);
        if (h.has("src_port")) assertEquals(h.path("src_port").asInt(), f.sourcePort(), where);
        if (h.has("dst_port")) assertEquals(h.path("dst_port").asInt(), f.destinationPort(), where);
        if (h.has("icmp_type")) assertEquals(h.path("icmp_type").asInt(), f.icmpType(), where);
        if (h.has("src_mac")) assertEquals(h.path("src_mac").asText(), f.raw().get("sourceMacAddress"), where);
      }
    }
  }

  private static SflowCaptures.Recording decodeCapture(String relative) {
    List<byte[]> datagrams = SflowCaptures.datagrams(SflowCaptures.dir().resolve(relative));
    assertEquals(1, datagrams.size(), relative);
    return SflowCaptures.decode(datagrams.get(0), true);
  }

  private static boolean isZero(Object v) {
    return v == null || Long.valueOf(0).equals(v) || v instanceof List<?> l && l.isEmpty() || "0.0.0.0".equals(v);
  }

  /** akvorado: VLANs of 4096 and above (0xFFFFFFFF: none) are not VLANs. */
  private static Object vlan(Object v) {
    return v instanceof Long l && l < 4096 ? l : 0L;
  }

  private static Object orZero(Object v) {
    return v == null ? 0L : v;
  }

  /** akvorado keeps the next hop of the later record; extended router follows extended gateway in these captures. */
  private static Object nextHop(FlowRecord r) {
    Object router = r.raw().get("ipNextHopIPv4Address");
    if (router == null) router = r.raw().get("ipNextHopIPv6Address");
    Object gateway = r.raw().get("bgpNextHopIPv4Address");
    return router != null ? router : gateway == null ? null : gateway;
  }

  /** akvorado: a source AS of 0 is the router's own AS. */
  private static Object sourceAs(FlowRecord r) {
    Object src = r.raw().get("bgpSourceAsNumber");
    if (src == null) return 0L;
    return (Long) src == 0 ? r.raw().get("bgpLocalAsNumber") : src;
  }

  /** akvorado: the last ASN of the path, or the router's own AS when the path is empty. */
  private static Object destinationAs(FlowRecord r) {
    if (!r.raw().containsKey("bgpLocalAsNumber")) return 0L;
    return r.raw().getOrDefault("bgpDestinationAsNumber", r.raw().get("bgpLocalAsNumber"));
  }

  /** JSON and Java values in one comparable form: numbers as long, arrays as lists, addresses canonical. */
  private static Object normalize(Object v) {
    if (v == null) return null;
    if (v instanceof JsonNode n) {
      if (n.isNumber()) return n.asLong();
      if (n.isArray()) {
        List<Object> list = new ArrayList<>();
        n.forEach(e -> list.add(normalize(e)));
        return list;
      }
      return normalize(n.asText());
    }
    if (v instanceof Number n) return n.longValue();
    if (v instanceof List<?> l) return l.stream().map(SflowGoldenTest::normalize).toList();
    if (v instanceof String s && (s.contains(".") || s.contains("::") || s.matches("[0-9a-f:]+") && s.length() > 17)) {
      try {
        return IpAddr.parse(s).toString();
      } catch (RuntimeException e) {
        return s;
      }
    }
    return v;
  }
}
