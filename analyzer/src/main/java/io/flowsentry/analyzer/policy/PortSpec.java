package io.flowsentry.analyzer.policy;

import io.flowsentry.collector.event.ConnectionEvent;

/**
 * A responder port/protocol pattern from {@code allowed_services}: {@code 25/tcp},
 * {@code 1024-2048/udp}, or a bare protocol {@code tcp}, {@code udp}, {@code icmp}. ICMP
 * patterns match ICMP and ICMPv6 alike, as Zeek's {@code icmp} transport does; for ICMP the
 * "port" is the responder port Zeek records (the ICMP code).
 *
 * @param proto {@link ConnectionEvent#TCP}, {@link ConnectionEvent#UDP} or {@link ConnectionEvent#ICMP}
 */
public record PortSpec(int proto, int low, int high) {
  public static final String EXPECTED = "a port/protocol such as 25/tcp, 1024-2048/udp, icmp, tcp or udp";

  public PortSpec {
    if (proto != ConnectionEvent.TCP && proto != ConnectionEvent.UDP && proto != ConnectionEvent.ICMP) {
      throw new IllegalArgumentException("unsupported protocol " + proto);
    }
    if (low < 0 || high > 65535 || low > high) {
      throw new IllegalArgumentException("port range " + low + "-" + high + " outside 0-65535 or reversed");
    }
  }

  /** @throws IllegalArgumentException with {@link #EXPECTED} when the text is not a port/protocol */
  public static PortSpec parse(String text) {
    if (text == null) throw new IllegalArgumentException(EXPECTED);
    String s = text.strip().toLowerCase(java.util.Locale.ROOT);
    int slash = s.indexOf('/');
    int proto = protocol(slash < 0 ? s : s.substring(slash + 1));
    if (slash < 0) return new PortSpec(proto, 0, 65535);
    String ports = s.substring(0, slash);
    int dash = ports.indexOf('-');
    try {
      int low = port(dash < 0 ? ports : ports.substring(0, dash));
      int high = dash < 0 ? low : port(ports.substring(dash + 1));
      return new PortSpec(proto, low, high);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(EXPECTED + ", got \"" + text + "\"");
    }
  }

  private static int protocol(String name) {
    return switch (name) {
      case "tcp" -> ConnectionEvent.TCP;
      case "udp" -> ConnectionEvent.UDP;
      case "icmp" -> ConnectionEvent.ICMP;
      default -> throw new IllegalArgumentException(EXPECTED + ", got protocol \"" + name + "\"");
    };
  }

  private static int port(String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a port: \"" + digits + "\"");
    }
    return Integer.parseInt(digits);
  }

  public boolean matches(int eventProto, int respPort) {
    boolean protoMatches = proto == ConnectionEvent.ICMP
        ? eventProto == ConnectionEvent.ICMP || eventProto == ConnectionEvent.ICMPV6
        : eventProto == proto;
    return protoMatches && respPort >= low && respPort <= high;
  }

  @Override
  public String toString() {
    String name = switch (proto) {
      case ConnectionEvent.TCP -> "tcp";
      case ConnectionEvent.UDP -> "udp";
      default -> "icmp";
    };
    if (low == 0 && high == 65535) return name;
    return (low == high ? String.valueOf(low) : low + "-" + high) + "/" + name;
  }
}
