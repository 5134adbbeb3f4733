package io.flowsentry.collector.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.testing.SharedTestData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Community ID v1 against the spec's official vectors (community-id-spec {@code baseline/}, read
 * from ../shared/testdata/community-id), plus what those vectors leave out: a seed, a reversed
 * one-way ICMP message, and events whose originator is not the ICMP sender.
 */
class CommunityIdTest {
  private static final CommunityId DEFAULT = CommunityId.DEFAULT_SEED;

  /** One vector: ports are null for a protocol without them; for ICMP sport is the type. */
  private record Vector(int proto, String saddr, String daddr, Integer sport, Integer dport, String id) {
    String compute() {
      return DEFAULT.of(IpAddr.parse(saddr), sport == null ? 0 : sport, IpAddr.parse(daddr),
          dport == null ? 0 : dport, proto);
    }
  }

  @Test
  void reproducesEveryRecordOfTheSpecsBaselineJson() throws IOException {
    JsonNode all = new ObjectMapper().readTree(SharedTestData.path("testdata/community-id/baseline_deflt.json").toFile());
    assertEquals(23, all.size(), "the baseline has 23 records (NOTES.md)");
    for (JsonNode n : all) {
      Vector v = new Vector(n.get("proto").asInt(), n.get("saddr").asText(), n.get("daddr").asText(),
          n.get("sport").isNull() ? null : n.get("sport").asInt(),
          n.get("dport").isNull() ? null : n.get("dport").asInt(), n.get("communityid").asText());
      assertEquals(v.id(), v.compute(), v.toString());
    }
  }

  // | TCP | 6 | 1.2.3.4 | 5.6.7.8 | 1122 | 3344 | 1:wCb3OG7yAFWelaUydu0D+125CLM= | comment |
  private static final Pattern TABLE_ROW = Pattern.compile(
      "^\\s*\\|\\s*\\w+\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\S+)\\s*\\|\\s*(\\S+)\\s*\\|\\s*(\\S+)\\s*\\|\\s*(\\S+)\\s*\\|\\s*(1:\\S+)\\s*\\|");

  @Test
  void reproducesEveryRowOfTheSpecsDefaultSettingsTable() throws IOException {
    List<Vector> rows = new ArrayList<>();
    for (String line : Files.readAllLines(SharedTestData.path("testdata/community-id/README.md"))) {
      Matcher m = TABLE_ROW.matcher(line);
      if (!m.find()) continue;
      rows.add(new Vector(Integer.parseInt(m.group(1)), m.group(2), m.group(3), port(m.group(4)), port(m.group(5)), m.group(6)));
    }
    assertEquals(16, rows.size(), "the default-settings table has 16 rows (NOTES.md)");
    for (Vector v : rows) assertEquals(v.id(), v.compute(), v.toString());
  }

  private static Integer port(String cell) {
    return cell.equals("-") ? null : Integer.valueOf(cell);
  }

  @Test
  void aSeedChangesTheHash() {
    // seed 1 row of the spec's README table (cut from the shared copy), recomputed independently
    IpAddr a = IpAddr.parse("1.2.3.4"), b = IpAddr.parse("5.6.7.8");
    assertEquals("1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=", new CommunityId(1).of(a, 1122, b, 3344, ConnectionEvent.TCP));
    assertEquals("1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=", new CommunityId(1).of(b, 3344, a, 1122, ConnectionEvent.TCP));
  }

  @Test
  void seedOutsideSixteenBitsIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new CommunityId(65536));
    assertThrows(IllegalArgumentException.class, () -> new CommunityId(-1));
  }

  @Test
  void aOneWayIcmpMessageFromTheHigherAddressKeepsItsSenderFirst() {
    // the spec's vectors only send one-way types from the lower address (NOTES.md); values from
    // an independent implementation
    IpAddr low = IpAddr.parse("1.2.3.4"), high = IpAddr.parse("5.6.7.8");
    assertEquals("1:1Vae9INpTJ+fZaSmjhtK/hyOPac=", DEFAULT.of(high, 11, low, 0, ConnectionEvent.ICMP));
    assertNotEquals(DEFAULT.of(low, 11, high, 0, ConnectionEvent.ICMP), DEFAULT.of(high, 11, low, 0, ConnectionEvent.ICMP));
  }

  @Test
  void anIcmpEventWhoseOriginatorDidNotSendTheMessageHashesFromTheSender() {
    // a destination unreachable (3/3) from 203.0.113.9, judged a reply to 192.168.4.7's earlier
    // flow: the event names 192.168.4.7 the originator, the packets went the other way
    ConnectionEvent e = ConnectionEvent.builder().origH("192.168.4.7").origP(3).respH("203.0.113.9").respP(3)
        .proto(ConnectionEvent.ICMP).icmpType(3).icmpCode(3).directionConfidence(DirectionConfidence.REVERSE_SEEN)
        .source(EventSource.IPFIX).build();
    assertEquals("1:u7r9tTA8uOYe6t69q0+rNXP67qk=", DEFAULT.of(e));
    assertEquals(DEFAULT.of(IpAddr.parse("203.0.113.9"), 3, IpAddr.parse("192.168.4.7"), 3, ConnectionEvent.ICMP), DEFAULT.of(e));
  }

  @Test
  void anEchoReplyEventHashesAsItsRequest() {
    ConnectionEvent request = ConnectionEvent.builder().origH("192.168.4.7").origP(8).respH("203.0.113.9").respP(0)
        .proto(ConnectionEvent.ICMP).build();
    // the reply alone, turned around by the port heuristic: type 0 now under the originator
    ConnectionEvent reply = request.toBuilder().origP(0).directionConfidence(DirectionConfidence.PORT_HEURISTIC).build();
    assertEquals("1:aO3aHIfhAgqkqGc56RW/W9sQLtc=", DEFAULT.of(request));
    assertEquals(DEFAULT.of(request), DEFAULT.of(reply));
  }

  @Test
  void aProtocolWithoutPortsIgnoresThem() {
    IpAddr a = IpAddr.parse("1.2.3.4"), b = IpAddr.parse("5.6.7.8");
    assertEquals("1:ikv3kmf89luf73WPz1jOs49S768=", DEFAULT.of(a, 1234, b, 80, 46));
  }
}
