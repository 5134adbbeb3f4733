package io.flowsentry.collector.event;


/**
 * An address block as written in the configuration: {@code 10.0.0.0/8}, {@code fd00::/8}, or a
 * bare address meaning {@code /32} or {@code /128}. Host bits below the prefix are cleared, as
 * Zeek does for subnet literals, so {@code 192.168.4.7/24} is {@code 192.168.4.0/24}.
 */
public record Cidr(IpAddr network, int prefixLength) {

  /** What a configuration value of this type must look like, for error messages. */
  public static final String EXPECTED = "an IP address or CIDR such as 192.0.2.0/24 or 2001:db8::/32";

  public Cidr {
    int max = network.v6() ? 128 : 32;
    if (prefixLength < 0 || prefixLength > max) {
      throw new IllegalArgumentException("prefix length " + prefixLength + " out of range 0.." + max);
    }
    network = first(network, prefixLength);
  }

  public static Cidr of(IpAddr address) {
    return new Cidr(address, address.v6() ? 128 : 32);
  }

  /**
   * @throws IllegalArgumentException when the text is neither an address literal nor
   *     {@code address/length} with a length valid for its family
   */
  public static Cidr parse(String text) {
    if (text == null) throw new IllegalArgumentException("missing address or CIDR");
    String s = text.strip();
    int slash = s.indexOf('/');
    if (slash < 0) return of(IpAddr.parse(s));
    IpAddr address = IpAddr.parse(s.substring(0, slash));
    String len = s.substring(slash + 1);
    if (len.isEmpty() || len.length() > 3 || !len.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a prefix length: \"" + len + "\"");
    }
    return new Cidr(address, Integer.parseInt(len));
  }

  /** True when the text has the shape of an address or CIDR (used to tell them from hostnames). */
  public static boolean looksLikeAddress(String text) {
    String s = text.strip();
    if (s.indexOf(':') >= 0) return true;
    int slash = s.indexOf('/');
    String head = slash < 0 ? s : s.substring(0, slash);
    return !head.isEmpty() && head.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  public IpAddr first() {
    return network;
  }

  public IpAddr last() {
    if (!network.v6()) {
      long hostMask = prefixLength == 0 ? 0xFFFF_FFFFL : (1L << (32 - prefixLength)) - 1;
      return IpAddr.ofV4((int) (network.lo() | hostMask));
    }
    return IpAddr.ofV6(network.hi() | ~highMask(prefixLength), network.lo() | ~lowMask(prefixLength));
  }

  public boolean contains(IpAddr a) {
    return a.v6() == network.v6()
        && (a.hi() & maskHi(prefixLength, a.v6())) == network.hi()
        && (a.lo() & maskLo(prefixLength, a.v6())) == network.lo();
  }

  /** Mask of the upper 64 bits of an IPv6 address under a prefix; IPv4 keeps everything in {@code lo}. */
  public static long maskHi(int prefixLength, boolean v6) {
    if (!v6) return 0;
    return prefixLength == 0 ? 0 : prefixLength >= 64 ? -1L : -1L << (64 - prefixLength);
  }

  /** Mask of {@code lo} under a prefix: the low 64 bits of IPv6, or the 32 bits of IPv4. */
  public static long maskLo(int prefixLength, boolean v6) {
    int bits = v6 ? prefixLength - 64 : prefixLength;
    if (bits <= 0) return 0;
    long m = bits >= 64 ? -1L : -1L << (64 - bits);
    return v6 ? m : (m >>> 32);
  }

  private static IpAddr first(IpAddr a, int len) {
    if (!a.v6()) {
      long mask = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
      return IpAddr.ofV4((int) (a.lo() & mask));
    }
    return IpAddr.ofV6(a.hi() & highMask(len), a.lo() & lowMask(len));
  }

  private static long highMask(int len) {
    if (len >= 64) return -1L;
    return len == 0 ? 0 : -1L << (64 - len);
  }

  private static long lowMask(int len) {
    if (len <= 64) return 0;
    return len == 128 ? -1L : -1L << (128 - len);
  }

  @Override
  public String toString() {
    return network + "/" + prefixLength;
  }
}
