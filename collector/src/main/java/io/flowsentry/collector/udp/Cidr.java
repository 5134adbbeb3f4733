package io.flowsentry.collector.udp;

import io.flowsentry.collector.event.IpAddr;

/**
 * An address block: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address (full-length
 * prefix). Host bits below the prefix are ignored, as routers do.
 */
public record Cidr(IpAddr network, int prefixLength) {

  public static final String EXPECTED = "an IP address or CIDR such as 192.0.2.0/24 or 2001:db8::/32";

  public Cidr {
    int max = network.v6() ? 128 : 32;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " (expected: 0-" + max + ")");
    }
    network = new IpAddr(network.hi() & maskHi(prefixLength, network.v6()), network.lo() & maskLo(prefixLength, network.v6()), network.v6());
  }

  /** @throws IllegalArgumentException when the text is not an address or CIDR literal */
  public static Cidr parse(String text) {
    if (text == null) throw new IllegalArgumentException("expected " + EXPECTED);
    String s = text.strip();
    int slash = s.indexOf('/');
    if (slash < 0) {
      IpAddr a = IpAddr.parse(s);
      return new Cidr(a, a.v6() ? 128 : 32);
    }
    int length;
    try {
      length = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + EXPECTED + ", got \"" + text + "\"");
    }
    return new Cidr(IpAddr.parse(s.substring(0, slash)), length);
  }

  public boolean contains(IpAddr a) {
    return a.v6() == network.v6()
        && (a.hi() & maskHi(prefixLength, a.v6())) == network.hi()
        && (a.lo() & maskLo(prefixLength, a.v6())) == network.lo();
  }

  /** Mask of the upper 64 bits of an IPv6 address; IPv4 keeps everything in {@code lo}. */
  static long maskHi(int prefixLength, boolean v6) {
    if (!v6) return 0;
    return prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
  }

  static long maskLo(int prefixLength, boolean v6) {
    int bits = v6 ? prefixLength - 64 : prefixLength; // IPv4 uses the low 32 bits of lo
    if (bits <= 0) return 0;
    long m = bits >= 64 ? -1L : -1L << (64 - bits);
    return v6 ? m : (m >>> 32);
  }

  @Override
  public String toString() {
    return network + "/" + prefixLength;
  }
}
