package io.flowsentry.analyzer.learn;

import io.flowsentry.collector.event.IpAddr;
import java.util.Arrays;

/**
 * Counts of one group: connections, first and last seen, the UTC days seen, and whether it had
 * one responder address or several (all a proposal needs: a pair names the address, or the
 * network). Bounded: at most {@link #MAX_DAYS} days are told apart. Not thread-safe: one learner
 * thread owns it.
 */
public final class GroupStats {
  static final int MAX_DAYS = 366;
  private static final long DAY_MICROS = 86_400_000_000L;

  long count;
  long firstMicros = Long.MAX_VALUE;
  long lastMicros = Long.MIN_VALUE;
  private int[] days = new int[4];
  private int dayCount;
  private IpAddr firstAddress;
  private boolean severalAddresses;
  private long resolvedByOriginator;

  void add(long tsMicros, IpAddr resp) {
    add(tsMicros, resp, false);
  }

  /** @param byOriginator the originator itself resolved the responder from the group's name */
  void add(long tsMicros, IpAddr resp, boolean byOriginator) {
    count++;
    if (byOriginator) resolvedByOriginator++;
    firstMicros = Math.min(firstMicros, tsMicros);
    lastMicros = Math.max(lastMicros, tsMicros);
    addDay((int) Math.floorDiv(tsMicros, DAY_MICROS));
    addAddress(resp);
  }

  private void addDay(int day) {
    // most connections of a group fall on the day of the one before
    if (dayCount > 0 && days[dayCount - 1] == day) return;
    int at = Arrays.binarySearch(days, 0, dayCount, day);
    if (at >= 0 || dayCount == MAX_DAYS) return;
    if (dayCount == days.length) days = Arrays.copyOf(days, Math.min(MAX_DAYS, days.length * 2));
    int ins = -at - 1;
    System.arraycopy(days, ins, days, ins + 1, dayCount - ins);
    days[ins] = day;
    dayCount++;
  }

  private void addAddress(IpAddr a) {
    if (severalAddresses) return;
    if (firstAddress == null) firstAddress = a;
    else if (!firstAddress.equals(a)) severalAddresses = true;
  }

  public long count() {
    return count;
  }

  public long firstMicros() {
    return firstMicros;
  }

  public long lastMicros() {
    return lastMicros;
  }

  /** The UTC days seen (epoch days), ascending. */
  public int[] days() {
    return Arrays.copyOf(days, dayCount);
  }

  /**
   * Whether the originator itself resolved the responder from the group's name for every
   * connection: only then does an {@code allowed_domains} entry for the name remove them all
   * (the policy asks what the originator resolved, not what the site did).
   */
  public boolean allResolvedByOriginator() {
    return count > 0 && resolvedByOriginator == count;
  }

  /** The one responder address of the group, or null when it has several. */
  public IpAddr onlyAddress() {
    return severalAddresses ? null : firstAddress;
  }
}
