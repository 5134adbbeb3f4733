package io.flowsentry.analyzer.net;

import io.flowsentry.collector.event.Cidr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PrefixSetTest {
  @Test
  void bothFamilies() {
    PrefixSet s = PrefixSet.parse(List.of("192.168.4.0/24", "10.0.0.0/8", "192.168.9.43", "fd00::/8", "2001:db8::1"));
    assertTrue(s.contains(IpAddr.parse("192.168.4.0")));
    assertTrue(s.contains(IpAddr.parse("192.168.4.255")));
    assertFalse(s.contains(IpAddr.parse("192.168.5.0")));
    assertTrue(s.contains(IpAddr.parse("192.168.9.43")));
    assertFalse(s.contains(IpAddr.parse("192.168.9.44")));
    assertTrue(s.contains(IpAddr.parse("fdff:ffff::1")));
    assertFalse(s.contains(IpAddr.parse("fe00::")));
    assertTrue(s.contains(IpAddr.parse("2001:db8::1")));
    assertFalse(s.contains(IpAddr.parse("2001:db8::2")));
    // an IPv4 address and its IPv4-compatible bit pattern are different addresses
    assertFalse(s.contains(IpAddr.parse("::a00:1")));
  }

  @Test
  void ipv4MappedAddressesAreTheirIpv4Address() {
    PrefixSet v4 = PrefixSet.parse(List.of("10.0.0.0/8"));
    assertTrue(v4.contains(IpAddr.parse("::ffff:10.1.2.3")));
    assertFalse(v4.contains(IpAddr.parse("::ffff:11.1.2.3")));
    PrefixSet mapped = PrefixSet.parse(List.of("::ffff:192.168.4.0/120"));
    assertTrue(mapped.contains(IpAddr.parse("192.168.4.7")));
    assertFalse(mapped.contains(IpAddr.parse("192.168.5.7")));
    assertFalse(PrefixSet.parse(List.of("::/64")).contains(IpAddr.parse("10.0.0.1")), "only ::ffff:0:0/96 maps");
  }

  @Test
  void overlappingAndAdjacentBlocksMerge() {
    PrefixSet s = PrefixSet.parse(List.of("10.0.0.0/9", "10.128.0.0/9", "10.1.0.0/16", "11.0.0.0/8", "::/1", "8000::/1"));
    assertEquals(2, s.rangeCount());
    assertTrue(s.contains(IpAddr.parse("11.255.255.255")));
    assertTrue(s.contains(IpAddr.parse("ffff::1")));
  }

  @Test
  void emptyMatchesNothing() {
    assertFalse(PrefixSet.empty().contains(IpAddr.parse("0.0.0.0")));
    assertFalse(PrefixSet.empty().contains(IpAddr.parse("::")));
    assertTrue(PrefixSet.parse(List.of()).isEmpty());
  }

  @Test
  void wholeSpace() {
    PrefixSet s = PrefixSet.parse(List.of("0.0.0.0/0", "::/0"));
    assertTrue(s.contains(IpAddr.parse("255.255.255.255")));
    assertTrue(s.contains(IpAddr.parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  }

  /** Property: the compiled set answers exactly like a list of blocks checked one by one. */
  @Test
  void agreesWithNaiveReference() {
    Random rnd = new Random(20081103);
    for (int round = 0; round < 300; round++) {
      List<Cidr> blocks = new ArrayList<>();
      int n = rnd.nextInt(40);
      for (int i = 0; i < n; i++) blocks.add(randomCidr(rnd));
      PrefixSet set = PrefixSet.of(blocks);
      for (int q = 0; q < 400; q++) {
        IpAddr a = q % 2 == 0 && !blocks.isEmpty() ? nearBlock(rnd, blocks.get(rnd.nextInt(blocks.size()))) : randomAddr(rnd, rnd.nextBoolean());
        boolean expected = blocks.stream().anyMatch(c -> c.contains(a));
        assertEquals(expected, set.contains(a), () -> a + " in " + blocks);
      }
    }
  }

  // few distinct high bits so blocks overlap and touch often
  private static IpAddr randomAddr(Random rnd, boolean v6) {
    if (!v6) return IpAddr.ofV4((rnd.nextInt(4) << 30) | (rnd.nextInt(4) << 24) | rnd.nextInt(1 << 24));
    return IpAddr.ofV6(((long) rnd.nextInt(4) << 62) | (rnd.nextLong() >>> 40), rnd.nextLong());
  }

  private static Cidr randomCidr(Random rnd) {
    boolean v6 = rnd.nextBoolean();
    int len = v6 ? rnd.nextInt(129) : rnd.nextInt(33);
    return new Cidr(randomAddr(rnd, v6), len);
  }

  /** The first or last address of a block or one beyond either end. */
  private static IpAddr nearBlock(Random rnd, Cidr c) {
    IpAddr edge = rnd.nextBoolean() ? c.first() : c.last();
    int step = rnd.nextInt(3) - 1;
    if (!edge.v6()) return IpAddr.ofV4((int) (edge.lo() + step));
    long lo = edge.lo() + step;
    long hi = edge.hi();
    if (step == 1 && lo == 0) hi++;
    if (step == -1 && edge.lo() == 0) hi--;
    return IpAddr.ofV6(hi, lo);
  }
}
