package io.flowsentry.collector.normalize;

import static io.flowsentry.collector.normalize.Flows.flow;
import static io.flowsentry.collector.normalize.Flows.reversed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.netflow.FlowRecord;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Properties of the originator decision over many generated flows (fixed seeds, so a failure
 * reproduces; the failing record is in the message).
 */
class OriginatorDecisionPropertyTest {

  private static final int RUNS = 20_000;
  private static final String[] HOSTS = {"192.168.4.7", "192.168.4.8", "10.1.1.1", "203.0.113.9", "198.51.100.20", "2001:db8::1", "2001:db8::2"};
  private static final int[] PORTS = {0, 22, 53, 80, 123, 443, 1023, 1024, 3306, 8080, 20000, 32768, 49152, 51234, 65535};
  private static final int[] PROTOS = {6, 6, 17, 17, 1, 58, 47, 132};

  private static FlowRecord random(Random rnd) {
    String src = HOSTS[rnd.nextInt(HOSTS.length)];
    String dst = HOSTS[rnd.nextInt(HOSTS.length)];
    int sp = rnd.nextBoolean() ? PORTS[rnd.nextInt(PORTS.length)] : rnd.nextInt(65536);
    int dp = rnd.nextBoolean() ? PORTS[rnd.nextInt(PORTS.length)] : rnd.nextInt(65536);
    FlowRecord.Builder b = flow(src, sp, dst, dp, PROTOS[rnd.nextInt(PROTOS.length)]);
    b.packets = rnd.nextInt(1000);
    b.octets = b.packets * 40 + rnd.nextInt(100_000);
    if (rnd.nextInt(4) == 0) {
      b.reversePackets = rnd.nextInt(1000);
      b.reverseOctets = rnd.nextInt(100_000);
    }
    if (rnd.nextInt(4) == 0) b.biflowDirection = rnd.nextInt(4);
    if (rnd.nextInt(8) == 0) b.firewallEvent = 1 + rnd.nextInt(5);
    b.samplingInterval = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(1000) : 0;
    b.startMillis += rnd.nextInt(600_000);
    b.endMillis = b.startMillis + rnd.nextInt(60_000);
    return b.build();
  }

  private static void forAll(long seed, Consumer<FlowRecord> property) {
    Random rnd = new Random(seed);
    for (int i = 0; i < RUNS; i++) {
      FlowRecord r = random(rnd);
      try {
        property.accept(r);
      } catch (AssertionError e) {
        throw new AssertionError("property fails for " + r, e);
      }
    }
  }

  private static FlowNormalizer normalizer() {
    return new FlowNormalizer(new OriginatorDecision(new ReverseFlowCache(64, ReverseFlowCache.DEFAULT_WINDOW)));
  }

  private static ConnectionEvent fresh(FlowRecord r) {
    return normalizer().normalize(r);
  }

  @Test
  void theEventIsTheFlowAsSentOrSwappedWithItsCountersOnTheMatchingSide() {
    forAll(1, r -> {
      ConnectionEvent e = fresh(r);
      boolean ports = !e.isIcmp();
      boolean asSent = e.origH().equals(r.sourceAddress()) && e.respH().equals(r.destinationAddress())
          && (!ports || e.origP() == r.sourcePort() && e.respP() == r.destinationPort());
      boolean swapped = e.origH().equals(r.destinationAddress()) && e.respH().equals(r.sourceAddress())
          && (!ports || e.origP() == r.destinationPort() && e.respP() == r.sourcePort());
      assertTrue(asSent || swapped);
      long rate = Math.max(1, r.samplingInterval());
      long forwardPkts = r.packets() < 0 ? -1 : r.packets() * rate;
      long forwardBytes = r.octets() < 0 ? -1 : r.octets() * rate;
      long reversePkts = r.reversePackets() < 0 ? -1 : r.reversePackets() * rate;
      if (asSent && !swapped) {
        assertEquals(forwardPkts, e.origPkts());
        assertEquals(forwardBytes, e.origIpBytes());
        assertEquals(reversePkts, e.respPkts());
      }
      if (swapped && !asSent) {
        assertEquals(forwardPkts, e.respPkts());
        assertEquals(forwardBytes, e.respIpBytes());
        assertEquals(reversePkts, e.origPkts());
      }
    });
  }

  @Test
  void swappingTwiceIsTheIdentity() {
    // the reversal the other properties rely on exchanges every side-specific field, nothing else
    forAll(2, r -> assertEquals(r, reversed(reversed(r))));
    // and normalizing a reversed reply gives the event of the request it answers
    forAll(7, r -> {
      FlowRecord plain = withoutExporterHints(r);
      if (!ServicePorts.hasPorts(r.protocol()) || r.sourceAddress().equals(r.destinationAddress())) return;
      if (OriginatorDecision.byPorts(r.protocol(), r.sourcePort(), r.destinationPort(), -1).swap()) {
        ConnectionEvent reply = fresh(plain), request = fresh(withoutExporterHints(reversed(plain)));
        assertEquals(endpoints(request), endpoints(reply));
      }
    });
  }

  @Test
  void theExporterSwapOfARecordIsTheExporterKeepOfItsReverse() {
    forAll(3, r -> {
      FlowRecord.Builder swap = r.toBuilder();
      swap.biflowDirection = 2;
      swap.firewallEvent = -1;
      swap.connectionId = -1;
      FlowRecord.Builder keep = reversed(r).toBuilder();
      keep.biflowDirection = 1;
      keep.firewallEvent = -1;
      keep.connectionId = -1;
      if (ConnectionEvent.ICMP == r.protocol() || ConnectionEvent.ICMPV6 == r.protocol()) return; // type/code are not ports
      ConnectionEvent a = fresh(swap.build()), b = fresh(keep.build());
      assertEquals(b.toBuilder().raw(null).build(), a.toBuilder().raw(null).build());
    });
  }

  @Test
  void aFlowAndItsReverseAreNeverBothRepliesByPorts() {
    forAll(4, r -> {
      int type = r.protocol() == 1 || r.protocol() == 58 ? r.destinationPort() >>> 8 : -1;
      boolean there = OriginatorDecision.byPorts(r.protocol(), r.sourcePort(), r.destinationPort(), type).swap();
      boolean back = OriginatorDecision.byPorts(r.protocol(), r.destinationPort(), r.sourcePort(), type).swap();
      if (ServicePorts.hasPorts(r.protocol())) assertFalse(there && back);
    });
  }

  @Test
  void bothDirectionsOfAConversationGetTheSameOriginatorWhicheverComesFirst() {
    forAll(5, r -> {
      FlowRecord plain = withoutExporterHints(r);
      FlowNormalizer n = normalizer();
      ConnectionEvent a = n.normalize(plain), b = n.normalize(withoutExporterHints(reversed(plain)));
      if (a.isIcmp()) return; // ICMP type/code are not ports: an echo and its reply differ in them
      assertEquals(endpoints(a), endpoints(b));
      boolean selfReverse = r.sourceAddress().equals(r.destinationAddress()) && r.sourcePort() == r.destinationPort();
      if (a.directionConfidence() == DirectionConfidence.ASSUMED && !selfReverse) {
        assertEquals(DirectionConfidence.REVERSE_SEEN, b.directionConfidence());
      }
    });
  }

  @Test
  void aServicePortTalkingToAnEphemeralPortIsAlwaysTheResponder() {
    forAll(6, r -> {
      FlowRecord plain = withoutExporterHints(r);
      if (!ServicePorts.hasPorts(r.protocol())) return;
      ConnectionEvent e = fresh(plain);
      if (ServicePorts.isService(r.sourcePort()) && ServicePorts.isEphemeral(r.destinationPort())) {
        assertEquals(r.destinationAddress(), e.origH());
        assertEquals(r.sourcePort(), e.respP());
        assertEquals(DirectionConfidence.PORT_HEURISTIC, e.directionConfidence());
      }
      if (ServicePorts.isEphemeral(r.sourcePort()) && ServicePorts.isService(r.destinationPort())) {
        assertEquals(r.sourceAddress(), e.origH());
        assertEquals(r.destinationPort(), e.respP());
      }
    });
  }

  private static FlowRecord withoutExporterHints(FlowRecord r) {
    FlowRecord.Builder b = r.toBuilder();
    b.biflowDirection = -1;
    b.firewallEvent = -1;
    b.connectionId = -1;
    b.reverseOctets = -1;
    b.reversePackets = -1;
    return b.build();
  }

  private static String endpoints(ConnectionEvent e) {
    return e.origH() + ":" + e.origP() + " > " + e.respH() + ":" + e.respP();
  }
}
