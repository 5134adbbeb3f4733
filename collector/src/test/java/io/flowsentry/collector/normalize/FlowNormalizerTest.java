package io.flowsentry.collector.normalize;

import static io.flowsentry.collector.normalize.Flows.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.netflow.FlowRecord;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlowNormalizerTest {

  private final FlowNormalizer normalizer = FlowNormalizer.withDefaults();

  private ConnectionEvent normalize(FlowRecord.Builder b) {
    return normalizer.normalize(b.build());
  }

  /** An RFC 5103 biflow: 10 packets / 1000 bytes forward, 4 / 400 reverse. */
  private static FlowRecord.Builder biflow(String src, int sp, String dst, int dp) {
    FlowRecord.Builder b = flow(src, sp, dst, dp, 6);
    b.reversePackets = 4;
    b.reverseOctets = 400;
    return b;
  }

  /** The originator sent the biflow's reverse counters; the responder its forward ones. */
  private static void assertSwappedBiflow(String originator, ConnectionEvent e) {
    assertEquals(originator, e.origH().toString());
    assertEquals(4, e.origPkts());
    assertEquals(400, e.origIpBytes());
    assertEquals(10, e.respPkts());
    assertEquals(1000, e.respIpBytes());
  }

  @Test
  void replyFromARestrictedWebServerHasTheClientAsOriginator() {
    ConnectionEvent e = normalize(flow("192.168.4.7", 443, "203.0.113.9", 51234, 6));
    assertEquals("203.0.113.9", e.origH().toString());
    assertEquals(51234, e.origP());
    assertEquals("192.168.4.7", e.respH().toString());
    assertEquals(443, e.respP());
    assertEquals(-1, e.origPkts());
    assertEquals(-1, e.origIpBytes());
    assertEquals(10, e.respPkts());
    assertEquals(1000, e.respIpBytes());
    assertEquals(DirectionConfidence.PORT_HEURISTIC, e.directionConfidence());
  }

  @Test
  void aClientRequestStaysAsSent() {
    ConnectionEvent e = normalize(flow("192.168.4.7", 51234, "203.0.113.9", 443, 6));
    assertEquals("192.168.4.7", e.origH().toString());
    assertEquals(10, e.origPkts());
    assertEquals(-1, e.respPkts());
    assertEquals(DirectionConfidence.ASSUMED, e.directionConfidence());
  }

  @Test
  void timesCountersAndSourceFields() {
    FlowRecord.Builder b = flow("10.0.0.1", 40000, "10.0.0.2", 40001, 17);
    b.version = 9;
    b.observationDomain = 77;
    b.raw = Map.of("k", 1);
    ConnectionEvent e = normalizer.normalize(b.build(), "exp");
    assertEquals(1_700_000_000_000_000L, e.tsMicros());
    assertEquals(1_500_000, e.durationMicros());
    assertEquals(17, e.proto());
    assertEquals(-1, e.icmpType());
    assertEquals(EventSource.NETFLOW9, e.source());
    assertEquals("exp", e.exporter());
    assertEquals(77, e.observationDomain());
    assertEquals(1, e.samplingRate());
    assertEquals(Map.of("k", 1), e.raw());
    assertEquals("192.0.2.1", normalizer.normalize(b.build()).exporter());
  }

  @Test
  void timeFallsBackToEndThenExportTime() {
    FlowRecord.Builder b = flow("10.0.0.1", 40000, "10.0.0.2", 40001, 17);
    b.startMillis = -1;
    assertEquals(1_700_000_001_500_000L, normalize(b).tsMicros());
    assertEquals(-1, normalize(b).durationMicros());
    b.endMillis = -1;
    assertEquals(1_700_000_060_000_000L, normalize(b).tsMicros());
  }

  @Test
  void samplingScalesEveryCounter() {
    FlowRecord.Builder b = flow("10.0.0.1", 40000, "10.0.0.2", 40001, 17);
    b.samplingInterval = 100;
    b.reversePackets = 3;
    b.reverseOctets = 300;
    ConnectionEvent e = normalize(b);
    assertEquals(100, e.samplingRate());
    assertEquals(1000, e.origPkts());
    assertEquals(100_000, e.origIpBytes());
    assertEquals(300, e.respPkts());
    assertEquals(30_000, e.respIpBytes());
    b.samplingInterval = 1;
    assertEquals(10, normalize(b).origPkts());
    b.samplingInterval = 0;
    assertEquals(1, normalize(b).samplingRate());
  }

  @Test
  void scalingSaturatesInsteadOfWrapping() {
    assertEquals(Long.MAX_VALUE, FlowNormalizer.scale(Long.MAX_VALUE / 2, 3));
    assertEquals(Long.MAX_VALUE, FlowNormalizer.scale(1L << 40, 1L << 40));
    assertEquals(-1, FlowNormalizer.scale(-1, 1000));
    assertEquals(6, FlowNormalizer.scale(2, 3));
  }

  @Test
  void icmpTypeAndCodeComeFromTheDestinationPortWhenNotExplicit() {
    ConnectionEvent e = normalize(flow("10.0.0.1", 0, "10.0.0.2", 3 * 256 + 1, 1));
    assertEquals(3, e.icmpType());
    assertEquals(1, e.icmpCode());
    assertEquals(3, e.origP());
    assertEquals(1, e.respP());
    assertEquals(DirectionConfidence.ASSUMED, e.directionConfidence());

    FlowRecord.Builder explicit = flow("10.0.0.1", 0, "10.0.0.2", 0, 58);
    explicit.icmpType = 128;
    explicit.icmpCode = 0;
    assertEquals(128, normalize(explicit).icmpType());
    assertEquals(128, normalize(explicit).origP());
  }

  @Test
  void anEchoReplyIsAReply() {
    ConnectionEvent e = normalize(flow("198.51.100.1", 0, "10.0.0.2", 0, 1)); // type 0 code 0
    assertEquals("10.0.0.2", e.origH().toString());
    assertEquals(0, e.icmpType());
    assertEquals(DirectionConfidence.PORT_HEURISTIC, e.directionConfidence());
  }

  @Test
  void nselRecordsKeepTheExporterOrientationWithResponderCounters() {
    FlowRecord.Builder b = flow("203.0.113.9", 443, "192.168.4.7", 51234, 6); // looks like a reply
    b.firewallEvent = 2;
    b.reverseOctets = 5000;
    ConnectionEvent e = normalize(b);
    assertEquals("203.0.113.9", e.origH().toString());
    assertEquals(1000, e.origIpBytes());
    assertEquals(5000, e.respIpBytes());
    assertEquals(DirectionConfidence.EXPORTER, e.directionConfidence());
  }

  @Test
  void biflowDirectionReverseInitiatorSwapsWithCounters() {
    FlowRecord.Builder b = biflow("10.0.0.1", 40000, "10.0.0.2", 40001);
    b.biflowDirection = 2;
    ConnectionEvent e = normalize(b);
    assertSwappedBiflow("10.0.0.2", e);
    assertEquals(40001, e.origP());
    assertEquals(DirectionConfidence.EXPORTER, e.directionConfidence());
  }

  @Test
  void aBiflowWithoutDirectionIsOrientedByTheHeuristicsAndItsCountersFollow() {
    // softflowd -b: the lower address first, no biflowDirection
    FlowRecord.Builder b = biflow("192.168.4.7", 443, "203.0.113.9", 51234);
    for (int direction : new int[] {-1, 0, 3}) {
      b.biflowDirection = direction;
      ConnectionEvent e = FlowNormalizer.withDefaults().normalize(b.build());
      assertEquals(DirectionConfidence.PORT_HEURISTIC, e.directionConfidence());
      assertSwappedBiflow("203.0.113.9", e);
    }
  }

  @Test
  void aBiflowFromClientToServerKeepsItsSidesWithReverseCountersOnTheResponder() {
    ConnectionEvent e = normalize(biflow("203.0.113.9", 51234, "192.168.4.7", 443));
    assertEquals("203.0.113.9", e.origH().toString());
    assertEquals(10, e.origPkts());
    assertEquals(4, e.respPkts());
    assertEquals(400, e.respIpBytes());
  }

  @Test
  void theReverseOfARememberedConversationIsItsReply() {
    ConnectionEvent first = normalize(flow("10.0.0.1", 40000, "10.0.0.2", 50000, 17));
    ConnectionEvent second = normalize(flow("10.0.0.2", 50000, "10.0.0.1", 40000, 17));
    assertEquals(DirectionConfidence.ASSUMED, first.directionConfidence());
    assertEquals(DirectionConfidence.REVERSE_SEEN, second.directionConfidence());
    assertEquals("10.0.0.1", second.origH().toString());
    assertEquals(10, second.respPkts());
  }

  @Test
  void aReplyExportedBeforeItsRequestStillLeavesTheClientAsOriginator() {
    ConnectionEvent reply = normalize(flow("192.168.4.7", 443, "203.0.113.9", 51234, 6));
    ConnectionEvent request = normalize(flow("203.0.113.9", 51234, "192.168.4.7", 443, 6));
    assertEquals("203.0.113.9", reply.origH().toString());
    assertEquals("203.0.113.9", request.origH().toString());
  }

  @Test
  void reverseSeenOnlyWithinTheWindowOfFlowTime() {
    FlowNormalizer n = new FlowNormalizer(new OriginatorDecision(new ReverseFlowCache(1024, Duration.ofSeconds(30))));
    n.normalize(flow("10.0.0.1", 40000, "10.0.0.2", 50000, 17).build());
    FlowRecord.Builder late = flow("10.0.0.2", 50000, "10.0.0.1", 40000, 17);
    late.startMillis += 31_000;
    late.endMillis += 31_000;
    assertEquals(DirectionConfidence.ASSUMED, n.normalize(late.build()).directionConfidence());
  }

  @Test
  void missingAddressesBecomeUnspecified() {
    FlowRecord.Builder b = flow("10.0.0.1", 1, "10.0.0.2", 2, 6);
    b.sourceAddress(null);
    b.destinationAddress(null);
    ConnectionEvent e = normalize(b);
    assertEquals("0.0.0.0", e.origH().toString());
    assertEquals("0.0.0.0", e.respH().toString());
  }

  @Test
  void sourceLabelFollowsTheVersion() {
    assertSame(EventSource.NETFLOW5, FlowNormalizer.eventSource(5));
    assertSame(EventSource.NETFLOW9, FlowNormalizer.eventSource(9));
    assertSame(EventSource.IPFIX, FlowNormalizer.eventSource(10));
  }
}
