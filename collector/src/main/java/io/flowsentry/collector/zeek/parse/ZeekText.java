package io.flowsentry.collector.zeek.parse;

import io.flowsentry.collector.event.IpAddr;
import java.nio.charset.StandardCharsets;

/**
 * Byte-level readers for the values Zeek writes. They work on a slice {@code [from, to)} of a
 * line buffer without creating Strings, which is what keeps TSV parsing above a million lines
 * per second. Failures are returned as {@link #INVALID}, never thrown.
 */
public final class ZeekText {
  /** Returned by the number readers for anything that is not a number in range. */
  public static final long INVALID = Long.MIN_VALUE;

  private ZeekText() {}

  /** Non-negative decimal integer (Zeek {@code count}/{@code port}), at most 19 digits. */
  public static long count(byte[] b, int from, int to) {
    int n = to - from;
    if (n <= 0 || n > 19) return INVALID;
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) return INVALID;
      v = v * 10 + d;
    }
    return v < 0 ? INVALID : v;
  }

  /**
   * Epoch seconds or an interval in seconds ({@code 1300475167.096535}, {@code 0.000317}) as
   * microseconds, truncating further decimals (a nanosecond writer). An exponent
   * ({@code 1.3e9}, {@code 1e-06}, possible in JSON) is applied exactly to the digits.
   */
  public static long micros(byte[] b, int from, int to) {
    if (to - from > 40 || from >= to) return INVALID;
    long digits = 0;
    int significant = 0;
    int scale = 0; // digits = value * 10^scale
    int i = from;
    int wholeDigits = 0;
    for (; i < to && b[i] >= '0' && b[i] <= '9'; i++, wholeDigits++) {
      if (significant > 0 || b[i] != '0') significant++;
      if (significant > 18) return INVALID; // beyond 10^18 seconds: not a time
      digits = digits * 10 + (b[i] - '0');
    }
    if (wholeDigits == 0) return INVALID;
    if (i < to && b[i] == '.') {
      int fracStart = ++i;
      for (; i < to && b[i] >= '0' && b[i] <= '9'; i++) {
        if (significant < 18) {
          if (significant > 0 || b[i] != '0') significant++;
          digits = digits * 10 + (b[i] - '0');
          scale++;
        }
      }
      if (i == fracStart) return INVALID;
    }
    int exponent = 0;
    if (i < to && (b[i] == 'e' || b[i] == 'E')) {
      boolean negative = i + 1 < to && b[i + 1] == '-';
      int start = i + 1 < to && (b[i + 1] == '-' || b[i + 1] == '+') ? i + 2 : i + 1;
      long e = count(b, start, to);
      if (e == INVALID || e > 40) return INVALID;
      exponent = negative ? (int) -e : (int) e;
      i = to;
    }
    if (i != to) return INVALID;
    int shift = exponent - scale + 6;
    long v = digits;
    for (; shift < 0 && v != 0; shift++) v /= 10;
    for (; shift > 0 && v != 0; shift--) {
      if (v > Long.MAX_VALUE / 10) return INVALID;
      v *= 10;
    }
    return v;
  }

  public static long micros(String s) {
    return micros(s.getBytes(StandardCharsets.ISO_8859_1), 0, s.length());
  }

  /** Whether the slice is Zeek's test-suite timestamp mask ({@code XXXXXXXXXX.XXXXXX}). */
  public static boolean isMasked(byte[] b, int from, int to) {
    return to > from && b[from] == 'X';
  }

  /** A literal IPv4 or IPv6 address (no zone, no brackets), or null. Read without allocation. */
  public static IpAddr address(byte[] b, int from, int to) {
    long v4 = ipv4(b, from, to);
    if (v4 >= 0) return IpAddr.ofV4((int) v4);
    return ipv6(b, from, to);
  }

  /**
   * RFC 4291 section 2.2 text: eight groups of up to four hex digits, one {@code ::} for a run
   * of zero groups, optionally a dotted quad as the last 32 bits ({@code ::ffff:10.0.0.1}).
   */
  private static IpAddr ipv6(byte[] b, int from, int to) {
    if (to - from < 2 || to - from > 45) return null;
    int[] groups = new int[8];
    int n = 0;
    int gap = -1;
    int i = from;
    if (b[i] == ':') {
      if (b[i + 1] != ':') return null;
      gap = 0;
      i += 2;
    }
    while (i < to) {
      int start = i;
      int v = 0;
      while (i < to && i - start < 5) {
        int h = hex(b[i]);
        if (h < 0) break;
        v = v << 4 | h;
        i++;
      }
      if (i < to && b[i] == '.') {
        long quad = ipv4(b, start, to);
        if (quad < 0 || n > 6) return null;
        groups[n++] = (int) (quad >>> 16);
        groups[n++] = (int) (quad & 0xFFFF);
        i = to;
        break;
      }
      if (i == start || i - start > 4 || n == 8) return null;
      groups[n++] = v;
      if (i == to) break;
      if (b[i] != ':') return null;
      i++;
      if (i < to && b[i] == ':') {
        if (gap >= 0) return null;
        gap = n;
        i++;
      } else if (i == to) {
        return null; // a trailing single colon
      }
    }
    if (gap < 0 ? n != 8 : n > 7) return null;
    long hi = 0, lo = 0;
    int zeros = 8 - n;
    for (int g = 0, k = 0; g < 8; g++) {
      int value = gap >= 0 && g >= gap && g < gap + zeros ? 0 : groups[k++];
      if (g < 4) hi = hi << 16 | value;
      else lo = lo << 16 | value;
    }
    return IpAddr.ofV6(hi, lo);
  }

  /** Dotted quad as an unsigned 32-bit value, or -1. */
  private static long ipv4(byte[] b, int from, int to) {
    long result = 0;
    int octet = 0, digits = 0, dots = 0;
    for (int i = from; i < to; i++) {
      int c = b[i];
      if (c == '.') {
        if (digits == 0 || ++dots > 3) return -1;
        result = (result << 8) | octet;
        octet = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        octet = octet * 10 + (c - '0');
        if (++digits > 3 || octet > 255) return -1;
      } else {
        return -1;
      }
    }
    if (dots != 3 || digits == 0) return -1;
    return (result << 8) | octet;
  }

  /** Whether the slice equals the ASCII text {@code s}. */
  public static boolean equalsAscii(byte[] b, int from, int to, String s) {
    if (to - from != s.length()) return false;
    for (int i = 0; i < s.length(); i++) {
      if (b[from + i] != s.charAt(i)) return false;
    }
    return true;
  }

  /**
   * The value of a {@code #separator \x09} line, or null for any other line. A space, not the
   * separator, follows this directive's name: the separator is what it announces.
   */
  public static String separatorDirective(byte[] b, int from, int to) {
    if (!equalsAscii(b, from, Math.min(to, from + 11), "#separator ")) return null;
    return unescape(b, from + 11, to);
  }

  /** Where the name of the directive line {@code b[from, to)} ends. */
  public static int directiveNameEnd(byte[] b, int from, int to, byte separator) {
    int end = from;
    // a space ends the name too: Zeek's test canonifier writes "#open XXXX-XX-XX-XX-XX-XX"
    while (end < to && b[end] != separator && b[end] != ' ') end++;
    return end;
  }

  /**
   * The text of a TSV string value: Zeek's ASCII writer escapes the separator, non-printable
   * bytes as {@code \xHH} and the backslash as {@code \\}. Text is UTF-8.
   */
  public static String unescape(byte[] b, int from, int to) {
    boolean plain = true;
    for (int i = from; i < to; i++) {
      if (b[i] == '\\' || b[i] < 0) {
        plain = false;
        break;
      }
    }
    if (plain) return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    byte[] out = new byte[to - from];
    int n = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == '\\' && i + 1 < to && b[i + 1] == '\\') {
        out[n++] = '\\';
        i++;
      } else if (b[i] == '\\' && i + 3 < to && b[i + 1] == 'x' && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0) {
        out[n++] = (byte) (hex(b[i + 2]) << 4 | hex(b[i + 3]));
        i += 3;
      } else {
        out[n++] = b[i];
      }
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  /** IP protocol number for Zeek's {@code proto} enum text, or -1 ({@code unknown_transport}). */
  public static int protoNumber(byte[] b, int from, int to, boolean v6) {
    if (equalsAscii(b, from, to, "tcp")) return 6;
    if (equalsAscii(b, from, to, "udp")) return 17;
    if (equalsAscii(b, from, to, "icmp")) return v6 ? 58 : 1;
    long n = count(b, from, to);
    return n >= 0 && n <= 255 ? (int) n : -1;
  }
}
