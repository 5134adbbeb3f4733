package io.flowsentry.analyzer.net;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable set of address blocks for both families, compiled for membership tests on the
 * event path. For membership the longest matching prefix and any matching prefix give the same
 * answer, so the blocks are merged into sorted, disjoint, non-adjacent ranges and a lookup is
 * one binary search over primitive arrays: no allocation, no boxing, O(log n).
 *
 * <p>As in Zeek, an IPv4 address and its IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}) are
 * the same address: every IPv4 block also covers its mapped IPv6 range and a block inside
 * {@code ::ffff:0:0/96} also covers the IPv4 addresses it maps.
 */
public final class PrefixSet implements AddressMatcher {
  private static final PrefixSet EMPTY = new PrefixSet(List.of());

  // IPv4 ranges as unsigned 32-bit values in longs, so signed comparison is correct.
  private final long[] v4Start;
  private final long[] v4End;
  // IPv6 ranges as (hi, lo) pairs compared unsigned.
  private final long[] v6StartHi;
  private final long[] v6StartLo;
  private final long[] v6EndHi;
  private final long[] v6EndLo;
  private final List<Cidr> blocks;

  private PrefixSet(Collection<Cidr> cidrs) {
    this.blocks = List.copyOf(cidrs);
    List<IpAddr[]> v4 = merge(cidrs, false);
    List<IpAddr[]> v6 = merge(cidrs, true);
    v4Start = new long[v4.size()];
    v4End = new long[v4.size()];
    for (int i = 0; i < v4.size(); i++) {
      v4Start[i] = v4.get(i)[0].lo();
      v4End[i] = v4.get(i)[1].lo();
    }
    v6StartHi = new long[v6.size()];
    v6StartLo = new long[v6.size()];
    v6EndHi = new long[v6.size()];
    v6EndLo = new long[v6.size()];
    for (int i = 0; i < v6.size(); i++) {
      v6StartHi[i] = v6.get(i)[0].hi();
      v6StartLo[i] = v6.get(i)[0].lo();
      v6EndHi[i] = v6.get(i)[1].hi();
      v6EndLo[i] = v6.get(i)[1].lo();
    }
  }

  public static PrefixSet empty() {
    return EMPTY;
  }

  public static PrefixSet of(Collection<Cidr> cidrs) {
    return cidrs.isEmpty() ? EMPTY : new PrefixSet(cidrs);
  }

  /** Parses each entry with {@link Cidr#parse}; entries must have been validated. */
  public static PrefixSet parse(Collection<String> texts) {
    return of(texts.stream().map(Cidr::parse).toList());
  }

  public static PrefixSet ofAddresses(Collection<IpAddr> addresses) {
    return of(addresses.stream().map(Cidr::of).toList());
  }

  @Override
  public boolean contains(IpAddr a) {
    return contains(a.hi(), a.lo(), a.v6());
  }

  /** {@link #contains(IpAddr)} on an address as {@link IpAddr} holds it, without one. */
  public boolean contains(long hi, long lo, boolean v6) {
    return v6 ? containsV6(hi, lo) : containsV4(lo);
  }

  public boolean isEmpty() {
    return v4Start.length == 0 && v6StartHi.length == 0;
  }

  /** The blocks as given (not merged), for diagnostics and effective-configuration output. */
  public List<Cidr> blocks() {
    return blocks;
  }

  /** Number of disjoint ranges after merging, both families. */
  public int rangeCount() {
    return v4Start.length + v6StartHi.length;
  }

  private boolean containsV4(long a) {
    // index of the last range starting at or before a
    int lo = 0, hi = v4Start.length - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (v4Start[mid] <= a) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && a <= v4End[found];
  }

  private boolean containsV6(long aHi, long aLo) {
    int lo = 0, hi = v6StartHi.length - 1, found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (compare(v6StartHi[mid], v6StartLo[mid], aHi, aLo) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && compare(aHi, aLo, v6EndHi[found], v6EndLo[found]) <= 0;
  }

  private static int compare(long aHi, long aLo, long bHi, long bLo) {
    int c = Long.compareUnsigned(aHi, bHi);
    return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
  }

  private static final long MAPPED_PREFIX = 0xFFFFL << 32;

  private static List<IpAddr[]> merge(Collection<Cidr> cidrs, boolean v6) {
    List<IpAddr[]> ranges = new ArrayList<>();
    for (Cidr c : cidrs) {
      if (c.network().v6() == v6) ranges.add(new IpAddr[] {c.first(), c.last()});
      else if (v6) ranges.add(new IpAddr[] {mapped(c.first()), mapped(c.last())});
      else if (isMapped(c)) ranges.add(new IpAddr[] {IpAddr.ofV4((int) c.first().lo()), IpAddr.ofV4((int) c.last().lo())});
    }
    ranges.sort(Comparator.comparing((IpAddr[] r) -> r[0]));
    List<IpAddr[]> merged = new ArrayList<>();
    for (IpAddr[] r : ranges) {
      IpAddr[] tail = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (tail != null && (r[0].compareTo(tail[1]) <= 0 || isSuccessor(tail[1], r[0]))) {
        if (r[1].compareTo(tail[1]) > 0) tail[1] = r[1];
      } else {
        merged.add(r.clone());
      }
    }
    return merged;
  }

  private static IpAddr mapped(IpAddr v4) {
    return IpAddr.ofV6(0, MAPPED_PREFIX | v4.lo());
  }

  private static boolean isMapped(Cidr c) {
    IpAddr n = c.network();
    return c.prefixLength() >= 96 && n.hi() == 0 && (n.lo() & 0xFFFF_FFFF_0000_0000L) == MAPPED_PREFIX;
  }

  private static boolean isSuccessor(IpAddr a, IpAddr b) {
    if (!a.v6()) return a.lo() + 1 == b.lo();
    long lo = a.lo() + 1;
    long hi = lo == 0 ? a.hi() + 1 : a.hi();
    return hi == b.hi() && lo == b.lo() && !(a.hi() == -1L && a.lo() == -1L);
  }

  @Override
  public String toString() {
    return blocks.toString();
  }
}
