package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.testing.SharedTestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * akvorado's expected flows (testdata/netflow/akvorado/expected.jsonl) and the comparison of
 * every expected value that a {@link FlowRecord} carries. akvorado writes IPv4 as IPv4-mapped
 * IPv6 and leaves zero values out; names map as below.
 */
public final class AkvoradoCases {

  /** One akvorado test: the captures fed in order and the flows it expects. */
  public record Case(String test, List<String> pcaps, List<JsonNode> flows) {}

  private static final Map<String, Integer> PROTOCOLS =
      Map.of("ProtoTCP", 6, "ProtoUDP", 17, "ProtoICMPv4", 1, "ProtoICMPv6", 58, "ProtoIPv4", 4);
  private static final Map<String, Integer> DIRECTIONS = Map.of("DirectionIngress", 0, "DirectionEgress", 1);

  /** Expected keys and how to read the same value from a record. */
  private static final Map<String, ToLongFunction<FlowRecord>> NUMBERS = Map.ofEntries(
      Map.entry("SrcPort", FlowRecord::sourcePort),
      Map.entry("DstPort", FlowRecord::destinationPort),
      Map.entry("Bytes", FlowRecord::octets),
      Map.entry("Packets", FlowRecord::packets),
      Map.entry("InIf", FlowRecord::inputInterface),
      Map.entry("OutIf", FlowRecord::outputInterface),
      Map.entry("SamplingRate", FlowRecord::samplingInterval),
      Map.entry("TCPFlags", FlowRecord::tcpFlags),
      Map.entry("IPTos", FlowRecord::tos),
      Map.entry("ICMPv4Type", FlowRecord::icmpType),
      Map.entry("ICMPv6Type", FlowRecord::icmpType));

  private AkvoradoCases() {}

  public static Path pcapDir() {
    return SharedTestData.path("testdata/netflow/akvorado/pcap");
  }

  public static Case load(String test) {
    Path file = SharedTestData.path("testdata/netflow/akvorado/expected.jsonl");
    ObjectMapper json = new ObjectMapper();
    try {
      for (String line : Files.readAllLines(file)) {
        JsonNode n = json.readTree(line);
        if (!n.get("test").asText().equals(test)) continue;
        List<String> pcaps = new ArrayList<>();
        n.get("pcaps").forEach(p -> pcaps.add(p.asText()));
        List<JsonNode> flows = new ArrayList<>();
        n.get("expected_flows").forEach(flows::add);
        return new Case(test, pcaps, flows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new AssertionError("no akvorado case " + test);
  }

  /**
   * Asserts every value of {@code expected} that a FlowRecord carries, except the {@code skipped}
   * keys (values akvorado took from places we do not decode, such as dataLinkFrameSection).
   */
  public static void assertFlow(JsonNode expected, FlowRecord r, Set<String> skipped, String where) {
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (skipped.contains(key)) continue;
      String at = where + " " + key;
      JsonNode v = e.getValue();
      switch (key) {
        case "SrcAddr" -> assertAddress(v.asText(), r.sourceAddress(), at);
        case "DstAddr" -> assertAddress(v.asText(), r.destinationAddress(), at);
        case "ExporterAddress" -> assertAddress(v.asText(), r.exporter(), at);
        case "Proto" -> assertEquals(PROTOCOLS.get(v.asText()), r.protocol(), at);
        case "FlowDirection" -> assertEquals(DIRECTIONS.get(v.asText()), r.flowDirection(), at);
        default -> {
          ToLongFunction<FlowRecord> getter = NUMBERS.get(key);
          if (getter == null) continue;
          long actual = getter.applyAsLong(r);
          // akvorado's 0 also stands for "not in the record", which a FlowRecord says with -1
          if (v.asLong() == 0 && actual == -1) continue;
          assertEquals(v.asLong(), actual, at);
        }
      }
    }
  }

  private static void assertAddress(String expected, Object actual, String at) {
    assertNotNull(actual, at);
    String e = expected.startsWith("::ffff:") ? expected.substring("::ffff:".length()) : expected;
    assertEquals(e, actual.toString(), at);
  }
}
