package io.flowsentry.collector.netflow.template;

import io.netty.buffer.ByteBuf;

/** Big-endian unsigned reads of 1..8 bytes (reduced-size encoding, RFC 7011 section 6.2). */
final class Numbers {

  /** Seconds from the NTP era (1900-01-01) to the Unix epoch. */
  private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

  private Numbers() {}

  /** The unsigned value of {@code len} (1..8) bytes at {@code pos}; 8 bytes wrap into the sign bit. */
  static long unsigned(ByteBuf buf, int pos, int len) {
    switch (len) {
      case 1: return buf.getUnsignedByte(pos);
      case 2: return buf.getUnsignedShort(pos);
      case 4: return buf.getUnsignedInt(pos);
      case 8: return buf.getLong(pos);
      default:
        long v = 0;
        for (int i = 0; i < len; i++) v = (v << 8) | buf.getUnsignedByte(pos + i);
        return v;
    }
  }

  /**
   * Epoch milliseconds of an RFC 7011 dateTimeMicroseconds/Nanoseconds value: an NTP timestamp,
   * seconds since 1900 in the high 32 bits and a binary fraction of a second in the low 32.
   */
  static long ntpToMillis(long ntp) {
    return ntpTo(ntp, 1_000L);
  }

  static long ntpToMicros(long ntp) {
    return ntpTo(ntp, 1_000_000L);
  }

  static long ntpToNanos(long ntp) {
    return ntpTo(ntp, 1_000_000_000L);
  }

  /** Epoch time in units of 1/{@code perSecond} s; the fraction times perSecond fits 64 bits for perSecond < 2^32. */
  private static long ntpTo(long ntp, long perSecond) {
    long seconds = (ntp >>> 32) - NTP_TO_UNIX_SECONDS;
    return seconds * perSecond + (((ntp & 0xFFFF_FFFFL) * perSecond) >>> 32);
  }
}
