package io.flowsentry.collector.normalize;

import io.flowsentry.collector.event.IpAddr;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which conversations were recently decided, and which side started them: the memory behind the
 * {@code reverse-seen} decision. Keyed by the originator-oriented 5-tuple, so a later flow in
 * the opposite direction is recognized as the reply.
 *
 * <p>Bounded and lock-free: a fixed, power-of-two table of immutable entries; a new conversation
 * overwrites whatever hashed to its slot. Losing an entry only costs the reply its reverse-seen
 * decision (it falls back to the port heuristic), never correctness of anything else. Time is
 * the records' own flow time, not the wall clock, so replayed captures behave as live traffic.
 */
public final class ReverseFlowCache {

  public static final int DEFAULT_CAPACITY = 1 << 16;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  private record Entry(IpAddr origH, IpAddr respH, int origP, int respP, int proto, long lastMillis) {
    boolean is(IpAddr oh, int op, IpAddr rh, int rp, int pr) {
      return origP == op && respP == rp && proto == pr && origH.equals(oh) && respH.equals(rh);
    }
  }

  private final AtomicReferenceArray<Entry> slots;
  private final int mask;
  private final long windowMillis;

  /**
   * @param capacity slots, rounded up to a power of two (memory is about 100 bytes per slot when full)
   * @param window how far apart in flow time the two directions of one conversation may be
   */
  public ReverseFlowCache(int capacity, Duration window) {
    if (capacity <= 0 || capacity > 1 << 26) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1..67108864)");
    }
    if (window.isNegative()) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 0)");
    }
    this.slots = new AtomicReferenceArray<>(capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1);
    this.mask = slots.length() - 1;
    this.windowMillis = window.toMillis();
  }

  public static ReverseFlowCache withDefaults() {
    return new ReverseFlowCache(DEFAULT_CAPACITY, DEFAULT_WINDOW);
  }

  /** Remembers that {@code origH:origP} started a conversation with {@code respH:respP}, active at {@code millis}. */
  public void remember(IpAddr origH, int origP, IpAddr respH, int respP, int proto, long millis) {
    int slot = slot(origH, origP, respH, respP, proto);
    Entry old = slots.get(slot);
    if (old != null && old.is(origH, origP, respH, respP, proto) && old.lastMillis >= millis) {
      return; // already known, and at least as fresh: skip the allocation
    }
    slots.set(slot, new Entry(origH, respH, origP, respP, proto, millis));
  }

  /**
   * Whether {@code origH:origP → respH:respP} was remembered with {@code origH} as originator,
   * no more than the window before {@code millis}.
   */
  public boolean seen(IpAddr origH, int origP, IpAddr respH, int respP, int proto, long millis) {
    Entry e = slots.get(slot(origH, origP, respH, respP, proto));
    return e != null && e.is(origH, origP, respH, respP, proto) && millis - e.lastMillis <= windowMillis;
  }

  /** Slots in the table (the bound on remembered conversations). */
  public int capacity() {
    return slots.length();
  }

  private int slot(IpAddr oh, int op, IpAddr rh, int rp, int proto) {
    long h = oh.hi() * 0x9E3779B97F4A7C15L + oh.lo();
    h = h * 0x9E3779B97F4A7C15L + rh.hi();
    h = h * 0x9E3779B97F4A7C15L + rh.lo();
    h = h * 0x9E3779B97F4A7C15L + (((long) op << 24) ^ ((long) rp << 8) ^ proto);
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return (int) h & mask;
  }
}
