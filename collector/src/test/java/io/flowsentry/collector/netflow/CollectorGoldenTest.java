package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.pipeline.CollectorWiring;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.netflow.template.AkvoradoCases;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * akvorado's captures through the whole pipeline (dispatch, real v5/v9/IPFIX decoders,
 * normalization): every expected flow comes out as an event whose endpoints, protocol, sampling
 * rate and sampled-up counters match, on whichever side the originator decision put them; and
 * the metrics count every datagram and record. Each case's captures are fed as from one exporter,
 * as akvorado's tests do.
 */
class CollectorGoldenTest {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("127.0.0.1", 2055);

  @ParameterizedTest
  @ValueSource(strings = {"TestDecode", "TestDecodeSamplingRate", "TestDecodeMultipleSamplingRates", "TestDecodeICMP",
      "TestDecodeNAT", "TestDecodePhysicalInterfaces", "TestDecodeRFC5103", "TestDecodeNFv5", "TestDecodeMPLS"})
  void akvoradoCaptureThroughTheCollector(String test) throws Exception {
    AkvoradoCases.Case c = AkvoradoCases.load(test);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ConnectionEvent> events = new ArrayList<>();
    DatagramPipeline collector = CollectorWiring.real(events::add, registry, NetflowLimits.defaults());

    Map<ExportProtocol, Integer> datagrams = new EnumMap<>(ExportProtocol.class);
    for (String pcap : c.pcaps()) {
      for (CapturedDatagram d : PcapReader.readAll(AkvoradoCases.pcapDir().resolve(pcap))) {
        datagrams.merge(ExportProtocol.ofVersion((d.payload()[0] & 0xFF) << 8 | d.payload()[1] & 0xFF), 1, Integer::sum);
        collector.onDatagram(EXPORTER, Unpooled.wrappedBuffer(d.payload()), d.timestampMicros() / 1000);
      }
    }

    for (JsonNode expected : c.flows()) assertMatched(expected, events, test);
    datagrams.forEach((protocol, n) -> assertEquals((double) n, count(registry, "flowsentry.packets.received", protocol), test));
    assertEquals(events.size(), registry.find("flowsentry.flow.records").counters().stream().mapToDouble(Counter::count).sum());
    // every known (protocol, reason) exists from the start at 0: none may have counted
    assertEquals(List.of(), registry.find("flowsentry.decode.errors").counters().stream().filter(e -> e.count() > 0)
        .map(e -> e.getId().getTag("reason") + "=" + e.count()).toList(), test);
  }

  private static double count(SimpleMeterRegistry registry, String name, ExportProtocol protocol) {
    Counter counter = registry.find(name).tags("protocol", protocol.label(), "exporter", "127.0.0.1").counter();
    return counter == null ? 0 : counter.count();
  }

  /**
   * The event with the expected endpoints and protocol; the expected source's side must carry the
   * expected counters times the sampling rate.
   */
  private static void assertMatched(JsonNode expected, List<ConnectionEvent> events, String test) {
    String src = address(expected, "SrcAddr"), dst = address(expected, "DstAddr");
    int sp = expected.path("SrcPort").asInt(), dp = expected.path("DstPort").asInt();
    long rate = Math.max(1, expected.path("SamplingRate").asLong(1));
    for (ConnectionEvent e : events) {
      boolean icmp = e.isIcmp();
      boolean asSent = e.origH().toString().equals(src) && e.respH().toString().equals(dst)
          && (icmp || e.origP() == sp && e.respP() == dp);
      boolean reversed = e.origH().toString().equals(dst) && e.respH().toString().equals(src)
          && (icmp || e.origP() == dp && e.respP() == sp);
      if (!(asSent || reversed) || e.proto() != protocol(expected)) continue;
      long pkts = asSent ? e.origPkts() : e.respPkts(), bytes = asSent ? e.origIpBytes() : e.respIpBytes();
      if (!counted(expected.path("Packets").asLong() * rate, pkts) || !counted(expected.path("Bytes").asLong() * rate, bytes)) {
        continue;
      }
      assertEquals(rate, e.samplingRate(), test + ": sampling rate of " + expected);
      if (expected.has("ICMPv4Type")) assertEquals(expected.get("ICMPv4Type").asInt(), e.icmpType());
      if (expected.has("ICMPv6Type")) assertEquals(expected.get("ICMPv6Type").asInt(), e.icmpType());
      return;
    }
    throw new AssertionError(test + ": no event for " + expected + "\nevents: " + events);
  }

  /** akvorado leaves zero counters out; a record without the counter says -1. */
  private static boolean counted(long expected, long actual) {
    return actual == expected || expected == 0 && actual == -1;
  }

  private static String address(JsonNode flow, String key) {
    String a = flow.path(key).asText("0.0.0.0");
    return a.startsWith("::ffff:") ? a.substring(7) : a;
  }

  private static int protocol(JsonNode flow) {
    return switch (flow.path("Proto").asText()) {
      case "ProtoTCP" -> 6;
      case "ProtoUDP" -> 17;
      case "ProtoICMPv4" -> 1;
      case "ProtoICMPv6" -> 58;
      default -> -1;
    };
  }
}
