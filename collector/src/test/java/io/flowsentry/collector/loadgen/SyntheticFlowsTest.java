package io.flowsentry.collector.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.Cidr;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyntheticFlowsTest {
  private static List<String> tuples(SyntheticFlows f) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.size(); i++) {
      out.add(f.src(i) + " " + f.dst(i) + " " + f.srcPort(i) + " " + f.dstPort(i) + " " + f.protocol(i) + " " + f.packets(i) + " " + f.octets(i));
    }
    return out;
  }

  @Test
  void sameSeedSameFlowsOtherSeedOtherFlows() {
    Cidr src = Cidr.parse("10.0.0.0/8"), dst = Cidr.parse("0.0.0.0/0");
    assertEquals(tuples(new SyntheticFlows(500, 42, src, dst)), tuples(new SyntheticFlows(500, 42, src, dst)));
    assertNotEquals(tuples(new SyntheticFlows(500, 42, src, dst)), tuples(new SyntheticFlows(500, 43, src, dst)));
  }

  @Test
  void flowsAreDistinctAndInsideTheirNetworks() {
    SyntheticFlows f = new SyntheticFlows(5000, 1, Cidr.parse("192.168.4.0/30"), Cidr.parse("203.0.113.9/32"));
    HashSet<String> fiveTuples = new HashSet<>();
    for (int i = 0; i < f.size(); i++) {
      assertEquals(0xC0A80400, f.src(i) & 0xFFFFFFFC);
      assertEquals(0xCB007109, f.dst(i));
      assertTrue(f.packets(i) >= 1 && f.octets(i) >= 40 * f.packets(i));
      fiveTuples.add(f.src(i) + " " + f.dst(i) + " " + f.srcPort(i) + " " + f.dstPort(i) + " " + f.protocol(i));
    }
    assertEquals(5000, fiveTuples.size());
  }

  @Test
  void outOfRangeCountsAndIpv6NetworksAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new SyntheticFlows(0, 1, Cidr.parse("10.0.0.0/8"), Cidr.parse("0.0.0.0/0")));
    assertThrows(IllegalArgumentException.class, () -> new SyntheticFlows(SyntheticFlows.MAX_FLOWS + 1, 1, Cidr.parse("10.0.0.0/8"), Cidr.parse("0.0.0.0/0")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SyntheticFlows(10, 1, Cidr.parse("2001:db8::/32"), Cidr.parse("0.0.0.0/0")));
    assertTrue(e.getMessage().contains("IPv4"), e.getMessage());
  }

  @Test
  void repliesTurnEachFlowAroundAndKeepItsCounters() {
    SyntheticFlows f = new SyntheticFlows(2000, 7, Cidr.parse("10.0.0.0/8"), Cidr.parse("0.0.0.0/0"));
    SyntheticFlows r = f.replies();
    assertEquals(f.size(), r.size());
    for (int i = 0; i < f.size(); i++) {
      assertEquals(List.of(f.dst(i), f.src(i), f.dstPort(i), f.srcPort(i)), List.of(r.src(i), r.dst(i), r.srcPort(i), r.dstPort(i)));
      assertEquals(List.of(f.protocol(i), f.tcpFlags(i), f.durationMillis(i), f.endAgoMillis(i)),
          List.of(r.protocol(i), r.tcpFlags(i), r.durationMillis(i), r.endAgoMillis(i)));
      assertEquals(List.of(f.packets(i), f.octets(i)), List.of(r.packets(i), r.octets(i)));
    }
    assertEquals(tuples(f), tuples(r.replies()));
  }
}
