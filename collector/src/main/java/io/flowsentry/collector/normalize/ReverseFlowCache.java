package io.flowsentry.collector.normalize;

import io.flowsentry.collector.event.IpAddr;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Which conversations were recently decided, and which side started them: the memory behind the
 * {@code reverse-seen} decision. Keyed by the originator-oriented 5-tuple, so a later flow in
 * the opposite direction is recognized as the reply.
 *
 * <p>Bounded and lock-free: a fixed, power-of-two table; a new conversation overwrites whatever
 * hashed to its slot. Losing an entry only costs the reply its reverse-seen decision (it falls
 * back to the port heuristic), never correctness of anything else. Time is the records' own flow
 * time, not the wall clock, so replayed captures behave as live traffic.
 *
 * <p>A slot is two adjacent longs — a 64-bit fingerprint of the 5-tuple and the flow time — not
 * an object: every record looks a slot up, and an object per slot (plus its two addresses) cost
 * several cache misses per record, the largest single cost of the whole receive path in a
 * profile. Both orientations of a conversation hash to the same slot (the slot comes from an
 * order-independent combination of the two endpoints; only the fingerprint is oriented), so the
 * lookup of the reverse direction and the remembering of the decided one touch one cache line.
 * Two different 5-tuples share a fingerprint with probability 2^-64 per lookup; such a
 * collision could only turn one reply's decision into {@code reverse-seen} instead of the port
 * heuristic's.
 */
public final class ReverseFlowCache {

  public static final int DEFAULT_CAPACITY = 1 << 16;
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

  /** {@code [2 * slot]} fingerprint (0 = empty), {@code [2 * slot + 1]} flow time in milliseconds. */
  private final AtomicLongArray slots;
  private final int mask;
  private final long windowMillis;

  /**
   * @param capacity slots, rounded up to a power of two (16 bytes per slot)
   * @param window how far apart in flow time the two directions of one conversation may be
   */
  public ReverseFlowCache(int capacity, Duration window) {
    if (capacity <= 0 || capacity > 1 << 26) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1..67108864)");
    }
    if (window.isNegative()) {
      throw new IllegalArgumentException("window: " + window + " (expected: >= 0)");
    }
    int size = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
    this.slots = new AtomicLongArray(2 * size);
    this.mask = size - 1;
    this.windowMillis = window.toMillis();
  }

  public static ReverseFlowCache withDefaults() {
    return new ReverseFlowCache(DEFAULT_CAPACITY, DEFAULT_WINDOW);
  }

  /** Remembers that {@code origH:origP} started a conversation with {@code respH:respP}, active at {@code millis}. */
  public void remember(IpAddr origH, int origP, IpAddr respH, int respP, int proto, long millis) {
    remember(endpoint(origH, origP), endpoint(respH, respP), proto, millis);
  }

  /** {@link #remember(IpAddr, int, IpAddr, int, int, long)} with both sides already mixed by {@link #endpoint}. */
  void remember(long o, long r, int proto, long millis) {
    long f = fingerprint(o, r, proto);
    int i = slot(o, r, proto);
    // a known conversation's time never moves back. Written every time rather than skipped when
    // unchanged: on the load generator's flows every known conversation came back no newer, so
    // C2 pruned the write for "known and newer", and the first record that needed it minutes
    // later deoptimized the whole compiled receive path, which lost datagrams while interpreted
    long known = slots.getPlain(i) == f ? slots.getPlain(i + 1) : Long.MIN_VALUE;
    // fingerprint last: a reader that sees it also sees a time at least this recent, or the
    // previous occupant's (a harmless race: the worst outcome is one port-heuristic decision)
    slots.setRelease(i + 1, Math.max(known, millis));
    slots.setRelease(i, f);
  }

  /**
   * Whether {@code origH:origP → respH:respP} was remembered with {@code origH} as originator,
   * no more than the window before {@code millis}.
   */
  public boolean seen(IpAddr origH, int origP, IpAddr respH, int respP, int proto, long millis) {
    return seen(endpoint(origH, origP), endpoint(respH, respP), proto, millis);
  }

  /** {@link #seen(IpAddr, int, IpAddr, int, int, long)} with both sides already mixed by {@link #endpoint}. */
  boolean seen(long o, long r, int proto, long millis) {
    long f = fingerprint(o, r, proto);
    int i = slot(o, r, proto);
    return slots.getAcquire(i) == f && millis - slots.getAcquire(i + 1) <= windowMillis;
  }

  /** Slots in the table (the bound on remembered conversations). */
  public int capacity() {
    return mask + 1;
  }

  /** A 64-bit mix of one side of the conversation: address and port. */
  static long endpoint(IpAddr a, int port) {
    long h = (a.hi() ^ (a.v6() ? 0x5DEECE66DL : 0)) * 0x9E3779B97F4A7C15L + a.lo();
    return mix(h * 0x9E3779B97F4A7C15L + port);
  }

  /** Index of the first long of the slot: the same for {@code (o, r)} and {@code (r, o)}. */
  private int slot(long o, long r, int proto) {
    return 2 * ((int) mix(o + r + proto) & mask);
  }

  /** The oriented 5-tuple (originator side first); never 0 (the empty slot). */
  private static long fingerprint(long o, long r, int proto) {
    long h = mix(o * 0x9E3779B97F4A7C15L + r + ((long) proto << 56));
    return h == 0 ? 1 : h;
  }

  /** MurmurHash3's 64-bit finalizer. */
  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB9FE1A85EC53L;
    h ^= h >>> 33;
    return h;
  }
}
