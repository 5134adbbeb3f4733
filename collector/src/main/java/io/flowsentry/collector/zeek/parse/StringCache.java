package io.flowsentry.collector.zeek.parse;

import java.util.Arrays;

/**
 * Reuses the String of short values that repeat line after line ({@code conn_state},
 * {@code service}): a direct-mapped table of 64 slots, so memory is fixed and a miss just
 * replaces the slot. One per parser (not thread-safe).
 */
final class StringCache {
  private static final int SLOTS = 64;
  private static final int MAX_LENGTH = 32;
  private final byte[][] keys = new byte[SLOTS][];
  private final String[] values = new String[SLOTS];

  /** The unescaped text of {@code b[from, to)}, shared with earlier equal values when short. */
  String get(byte[] b, int from, int to) {
    int len = to - from;
    if (len > MAX_LENGTH) return ZeekText.unescape(b, from, to);
    int h = len;
    for (int i = from; i < to; i++) h = 31 * h + b[i];
    int slot = (h ^ h >>> 16) & (SLOTS - 1);
    byte[] key = keys[slot];
    if (key != null && Arrays.equals(key, 0, key.length, b, from, to)) return values[slot];
    String value = ZeekText.unescape(b, from, to);
    keys[slot] = Arrays.copyOfRange(b, from, to);
    values[slot] = value;
    return value;
  }
}
