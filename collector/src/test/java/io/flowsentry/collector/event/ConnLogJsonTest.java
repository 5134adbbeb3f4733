package io.flowsentry.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.zeek.parse.ConnLogParser;
import io.flowsentry.collector.zeek.parse.LineOutcome;
import java.util.LinkedHashMap;
import io.flowsentry.collector.zeek.ZeekTestData;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConnLogJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String HEADER = ZeekTestData.connHeader(true);

  private static ConnectionEvent tsvEvent(String line) {
    ConnLogParser p = new ConnLogParser("/var/zeek/conn.log", false);
    HEADER.lines().forEach(p::parse);
    return assertInstanceOf(LineOutcome.Event.class, p.parse(line)).event();
  }

  private static ConnectionEvent jsonEvent(String json) {
    return assertInstanceOf(LineOutcome.Event.class, new ConnLogParser("/var/zeek/conn.log", false).parse(json)).event();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "1300475168.892936\tCHhAvVGS1DHFjwGM9\t141.142.220.118\t48649\t208.80.152.118\t80\ttcp\thttp\t0.119905\t525\t232\tS1\tT\tF\t0\tShADad\t4\t741\t3\t396\t-\t6",
      "1300475167.096535\tCXWv6p3arKYeMETxOg\tfe80::217:f2ff:fed7:cf65\t5353\tff02::fb\t5353\tudp\tdns\t-\t-\t-\tS0\tT\tF\t0\tD\t1\t199\t0\t0\t-\t17",
      "1300475168.000001\tC1\tfc00:0:2:100::1:1\t128\tfc00::1\t129\ticmp\t-\t0.156000\t260\t260\tOTH\tT\tT\t0\t-\t5\t500\t5\t500\t-\t58",
      "1300475168.5\tC2\t10.0.0.1\t8\t10.0.0.2\t0\ticmp\t-\t-\t-\t-\tOTH\tT\tT\t0\t-\t1\t84\t0\t0\t-\t1",
      "1300475168.5\tC3\t10.0.0.1\t0\t10.0.0.2\t0\tunknown_transport\t-\t-\t-\t-\tOTH\tT\tT\t0\t-\t1\t84\t0\t0\t-\t47",
      "1300475168.5\tC4\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\tssl,http\t12.000000\t0\t-\tOTH\tT\tT\t0\t-\t-\t-\t-\t-\t-\t-",
      "1300475168.5\tC\\x09\\\\5\t10.0.0.1\t1\t10.0.0.2\t2\ttcp\t(empty)\t12.000000\t0\t-\tOTH\tT\tT\t0\t-\t-\t-\t-\t-\t-\t-",
  })
  void zeekEventRoundTripsThroughItsJson(String line) {
    ConnectionEvent fromTsv = tsvEvent(line);
    assertEquals(fromTsv, jsonEvent(ConnLogJson.toJson(fromTsv, false, CommunityId.DEFAULT_SEED)));
  }

  @Test
  void writesZeekConnLogKeys() throws Exception {
    ConnectionEvent e = tsvEvent("1300475168.892936\tCHhAvVGS1DHFjwGM9\t141.142.220.118\t48649\t208.80.152.118\t80\ttcp\thttp\t0.119905\t525\t232\tS1\tT\tF\t0\tShADad\t4\t741\t3\t396\t-\t6");
    String json = ConnLogJson.toJson(e, false, CommunityId.DEFAULT_SEED);
    JsonNode n = MAPPER.readTree(json);
    assertTrue(json.startsWith("{\"ts\":1300475168.892936,"), json);
    assertEquals("CHhAvVGS1DHFjwGM9", n.get("uid").asText());
    assertEquals("141.142.220.118", n.get("id.orig_h").asText());
    assertEquals(48649, n.get("id.orig_p").asInt());
    assertEquals("tcp", n.get("proto").asText());
    assertTrue(json.contains("\"duration\":0.119905,"), json);
    assertEquals(741, n.get("orig_ip_bytes").asLong());
    assertEquals("S1", n.get("conn_state").asText());
    assertEquals("zeek", n.get("source").asText());
    assertEquals("/var/zeek/conn.log", n.get("exporter").asText());
    assertEquals("exporter", n.get("direction_confidence").asText());
    assertEquals(1, n.get("sampling_rate").asInt());
    assertEquals(0, n.get("observation_domain").asInt());
    assertEquals("1:QagqZ1d75cwm/S9i9uBmRU4FLKw=", n.get("community_id").asText(), "independently computed, seed 0");
    assertEquals(new CommunityId(7).of(e),
        MAPPER.readTree(ConnLogJson.toJson(e, false, new CommunityId(7))).get("community_id").asText(), "the sink's seed");
  }

  @Test
  void omitsWhatIsUnknownAndAddsRawElements() throws Exception {
    Map<String, Object> raw = new LinkedHashMap<>();
    raw.put("sourceIPv4Address", "192.0.2.1");
    raw.put("octetDeltaCount", 1500L);
    raw.put("sourceMacAddress", new byte[] {0, 0x1b, 0x21, 0, 0, 1});
    raw.put("mplsLabels", List.of(16L, 17L));
    raw.put("proto", "must not override");
    ConnectionEvent e = ConnectionEvent.builder()
        .tsMicros(1_700_000_000_000_123L).origH("192.0.2.1").origP(40000).respH("198.51.100.7").respP(443)
        .proto(ConnectionEvent.TCP).origPkts(3).origIpBytes(1500).source(EventSource.IPFIX)
        .exporter("192.0.2.254").observationDomain(7).samplingRate(10).raw(raw).build();
    JsonNode n = MAPPER.readTree(ConnLogJson.toJson(e, true, CommunityId.DEFAULT_SEED));
    List.of("uid", "duration", "orig_bytes", "resp_bytes", "resp_pkts", "resp_ip_bytes", "conn_state", "service")
        .forEach(k -> assertFalse(n.has(k), k));
    assertEquals("ipfix", n.get("source").asText());
    assertEquals("assumed", n.get("direction_confidence").asText());
    assertEquals(7, n.get("observation_domain").asInt());
    assertEquals(10, n.get("sampling_rate").asInt());
    assertEquals("tcp", n.get("proto").asText());
    assertEquals(1500, n.get("octetDeltaCount").asLong());
    assertEquals("001b21000001", n.get("sourceMacAddress").asText());
    assertEquals(17, n.get("mplsLabels").get(1).asInt());
    assertFalse(MAPPER.readTree(ConnLogJson.toJson(e, false, CommunityId.DEFAULT_SEED)).has("octetDeltaCount"));
  }

  @Test
  void protoAsZeekWritesIt() throws Exception {
    ConnectionEvent.Builder b = ConnectionEvent.builder().origH("2001:db8::1").respH("2001:db8::2");
    assertEquals("icmp", MAPPER.readTree(ConnLogJson.toJson(b.proto(58).build(), false, CommunityId.DEFAULT_SEED)).get("proto").asText());
    assertEquals(47, MAPPER.readTree(ConnLogJson.toJson(b.proto(47).build(), false, CommunityId.DEFAULT_SEED)).get("proto").asInt());
    JsonNode unknown = MAPPER.readTree(ConnLogJson.toJson(b.proto(-1).build(), false, CommunityId.DEFAULT_SEED));
    assertEquals("unknown_transport", unknown.get("proto").asText());
    assertFalse(unknown.has("community_id"), "no protocol number, nothing to hash");
  }

  @Test
  void secondsWithSixDecimals() {
    assertEquals("0.000001", ConnLogJson.seconds(1));
    assertEquals("1700000000.100000", ConnLogJson.seconds(1_700_000_000_100_000L));
    assertEquals("-0.000001", ConnLogJson.seconds(-1));
  }
}
