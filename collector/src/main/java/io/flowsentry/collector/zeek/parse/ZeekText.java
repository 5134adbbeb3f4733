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
   * Epoch seconds or an interval in seconds with up to 6 decimals ({@code 1300475167.096535},
   * {@code 0.000317}) as microseconds. Further decimals (a nanosecond writer) are checked and
   * dropped; an exponent ({@code 1e-06}, possible in JSON) is read exactly.
   */
  public static long micros(byte[] b, int from, int to) {
    if (to - from > 40 || from >= to) return INVALID;
    long whole = 0;
    int i = from;
    int wholeDigits = 0;
    while (i < to && b[i] >= '0' && b[i] <= '9') {
      if (++wholeDigits > 12) return INVALID; // beyond year 33658: not a timestamp
      whole = whole * 10 + (b[i++] - '0');
    }
    long frac = 0;
    int fracDigits = 0;
    if (i < to && b[i] == '.') {
      i++;
      while (i < to && b[i] >= '0' && b[i] <= '9') {
        if (fracDigits < 6) {
          frac = frac * 10 + (b[i] - '0');
        }
        fracDigits++;
        i++;
      }
      if (fracDigits == 0) return INVALID;
    }
    if (wholeDigits == 0) return INVALID;
    for (int k = Math.min(fracDigits, 6); k < 6; k++) frac *= 10;
    long micros = whole * 1_000_000L + frac;
    if (i == to) return micros;
    return b[i] == 'e' || b[i] == 'E' ? withExponent(micros, b, i + 1, to) : INVALID;
  }

  private static long withExponent(long micros, byte[] b, int from, int to) {
    boolean negative = from < to && b[from] == '-';
    int start = from < to && (b[from] == '-' || b[from] == '+') ? from + 1 : from;
    long exp = count(b, start, to);
    if (exp == INVALID || exp > 12) return INVALID;
    long v = micros;
    for (int k = 0; k < exp; k++) {
      if (negative) {
        v /= 10;
      } else if ((v = Math.multiplyExact(v, 10)) > 1_000_000_000_000_000L) {
        return INVALID;
      }
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

  /** A literal IPv4 or IPv6 address, or null. Dotted quads are read without allocation. */
  public static IpAddr address(byte[] b, int from, int to) {
    long v4 = ipv4(b, from, to);
    if (v4 >= 0) return IpAddr.ofV4((int) v4);
    if (to - from > 64 || to <= from) return null;
    for (int i = from; i < to; i++) {
      if (b[i] == ':') {
        try {
          return IpAddr.parse(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
          return null;
        }
      }
    }
    return null;
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
