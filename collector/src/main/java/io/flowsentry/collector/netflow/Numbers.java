package io.flowsentry.collector.netflow;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian reads from a byte array: the decoders work on a message's bytes as an array (one
 * copy per datagram or set at most) because per-field ByteBuf accessors pay reference-count and
 * bounds checks every time (and, on JDK 25, Netty's direct buffers go through ByteBuffer). Includes
 * reduced-size encoding (RFC 7011 section 6.2) and NTP timestamps.
 */
public final class Numbers {

  /** Seconds from the NTP era (1900-01-01) to the Unix epoch. */
  private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

  private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Per-thread room for a copy out of a direct buffer: any UDP payload (and so any set) fits. */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[65_536]);

  private Numbers() {}

  /**
   * A per-thread array of at least {@code length} bytes to copy a direct buffer's bytes into
   * before reading them with the methods here. Its contents last until this thread's next call.
   */
  public static byte[] scratch(int length) {
    byte[] a = SCRATCH.get();
    return a.length >= length ? a : new byte[length]; // only a buffer larger than any UDP datagram
  }

  public static int u8(byte[] a, int pos) {
    return a[pos] & 0xFF;
  }

  public static int u16(byte[] a, int pos) {
    return (short) SHORT.get(a, pos) & 0xFFFF;
  }

  public static int i32(byte[] a, int pos) {
    return (int) INT.get(a, pos);
  }

  public static long i64(byte[] a, int pos) {
    return (long) LONG.get(a, pos);
  }

  /** The unsigned value of {@code len} (1..8) bytes at {@code pos}; 8 bytes wrap into the sign bit. */
  public static long unsigned(byte[] a, int pos, int len) {
    switch (len) {
      case 1: return a[pos] & 0xFF;
      case 2: return u16(a, pos);
      case 4: return i32(a, pos) & 0xFFFF_FFFFL;
      case 8: return i64(a, pos);
      default:
        long v = 0;
        for (int i = 0; i < len; i++) v = (v << 8) | (a[pos + i] & 0xFF);
        return v;
    }
  }

  /**
   * Epoch milliseconds of an RFC 7011 dateTimeMicroseconds/Nanoseconds value: an NTP timestamp,
   * seconds since 1900 in the high 32 bits and a binary fraction of a second in the low 32.
   */
  public static long ntpToMillis(long ntp) {
    return ntpTo(ntp, 1_000L);
  }

  public static long ntpToMicros(long ntp) {
    return ntpTo(ntp, 1_000_000L);
  }

  public static long ntpToNanos(long ntp) {
    return ntpTo(ntp, 1_000_000_000L);
  }

  /** Epoch time in units of 1/{@code perSecond} s; the fraction times perSecond fits 64 bits for perSecond < 2^32. */
  private static long ntpTo(long ntp, long perSecond) {
    long seconds = (ntp >>> 32) - NTP_TO_UNIX_SECONDS;
    return seconds * perSecond + (((ntp & 0xFFFF_FFFFL) * perSecond) >>> 32);
  }
}
