package io.flowsentry.collector.event;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs: no DNS, no byte arrays, cheap equals/hash, and the
 * shape the longest-prefix matchers want. IPv4 lives in the low 32 bits of {@code lo}
 * with {@code hi == 0} and {@code v6 == false}.
 */
public record IpAddr(long hi, long lo, boolean v6) implements Comparable<IpAddr> {

  public static IpAddr ofV4(int address) {
    return new IpAddr(0, address & 0xFFFF_FFFFL, false);
  }

  public static IpAddr ofV6(long hi, long lo) {
    return new IpAddr(hi, lo, true);
  }

  /** From 4 or 16 network-order bytes. */
  public static IpAddr of(byte[] b) {
    if (b.length == 4) {
      return ofV4(((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF));
    }
    if (b.length == 16) {
      long hi = 0, lo = 0;
      for (int i = 0; i < 8; i++) hi = (hi << 8) | (b[i] & 0xFF);
      for (int i = 8; i < 16; i++) lo = (lo << 8) | (b[i] & 0xFF);
      return ofV6(hi, lo);
    }
    throw new IllegalArgumentException("address must be 4 or 16 bytes, got " + b.length);
  }

  public static IpAddr of(InetAddress a) {
    return of(a.getAddress());
  }

  /**
   * Parses a literal IPv4 or IPv6 address (never resolves a name; no brackets, no zone id).
   * IPv4-mapped IPv6
   * ({@code ::ffff:a.b.c.d}) stays IPv6, as Zeek keeps it.
   *
   * @throws IllegalArgumentException when the text is not an address literal
   */
  public static IpAddr parse(String text) {
    String s = text.strip();
    // only hex digits, ':' and '.': InetAddress.getByName falls back to DNS for anything else
    // (e.g. "g:1"), and parsing must never touch the network
    boolean literalShape = s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
    if (s.isEmpty() || !literalShape || !(s.indexOf(':') >= 0 || isDottedQuad(s))) {
      throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
    try {
      byte[] raw = InetAddress.getByName(s).getAddress(); // literal only: checked above
      if (s.indexOf(':') >= 0 && raw.length == 4) {
        // Java folds ::ffff:a.b.c.d into IPv4; keep the family the text had
        return ofV6(0, 0xFFFF_0000_0000L | (ofV4(toInt(raw)).lo));
      }
      return of(raw);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: \"" + text + "\"");
    }
  }

  private static int toInt(byte[] b) {
    return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
  }

  private static boolean isDottedQuad(String s) {
    int dots = 0, digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '.') {
        if (digits == 0) return false;
        dots++;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        if (++digits > 3) return false;
      } else {
        return false;
      }
    }
    return dots == 3 && digits > 0;
  }

  // equals and hashCode: the record's own value, written out: the generated one goes through method handles that the JIT did not inline on the receive path (JFR, issue 19)
  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddr a && hi == a.hi && lo == a.lo && v6 == a.v6;
  }

  @Override
  public int hashCode() {
    return (31 * Long.hashCode(hi) + Long.hashCode(lo)) * 31 + Boolean.hashCode(v6);
  }

  public int v4() {
    return (int) lo;
  }

  public byte[] toBytes() {
    if (!v6) {
      int a = (int) lo;
      return new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (56 - 8 * i));
      b[8 + i] = (byte) (lo >>> (56 - 8 * i));
    }
    return b;
  }

  public InetAddress toInetAddress() {
    try {
      return InetAddress.getByAddress(toBytes());
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // length is always 4 or 16
    }
  }

  /** Text as Zeek prints it: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  @Override
  public String toString() {
    if (!v6) {
      int a = (int) lo;
      return ((a >>> 24) & 0xFF) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + "." + (a & 0xFF);
    }
    int[] g = new int[8];
    for (int i = 0; i < 4; i++) {
      g[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
      g[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
    }
    // IPv4-mapped addresses print as ::ffff:a.b.c.d (Zeek and RFC 5952 section 5)
    if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
      return "::ffff:" + ofV4((int) lo);
    }
    int bestStart = -1, bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) { i++; continue; }
      int j = i;
      while (j < 8 && g[j] == 0) j++;
      if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }

  @Override
  public int compareTo(IpAddr o) {
    if (v6 != o.v6) return v6 ? 1 : -1;
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }
}
