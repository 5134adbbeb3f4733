package io.flowsentry.analyzer.explain;

import io.flowsentry.analyzer.policy.PortSpec;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;

/**
 * The connection asked about: {@code ORIG RESP PORT/PROTO} at a moment (event time).
 *
 * @param proto an IP protocol number ({@link ConnectionEvent#TCP}, UDP, ICMP or ICMPv6)
 */
public record Connection(IpAddr orig, IpAddr resp, int port, int proto, long atMicros) {
  public static final String EXPECTED_SERVICE = "PORT/PROTO such as 443/tcp, 53/udp or 3/icmp";

  /**
   * Parses the command line's words. ICMP towards an IPv6 responder is ICMPv6, as Zeek's
   * {@code icmp} transport covers both.
   *
   * @throws IllegalArgumentException naming the word that is wrong
   */
  public static Connection parse(String orig, String resp, String service, long atMicros) {
    IpAddr o = address("ORIG", orig);
    IpAddr r = address("RESP", resp);
    if (service == null || service.indexOf('/') < 0) {
      throw new IllegalArgumentException("PORT/PROTO: expected " + EXPECTED_SERVICE + ", got \"" + service + "\"");
    }
    PortSpec spec;
    try {
      spec = PortSpec.parse(service);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("PORT/PROTO: " + e.getMessage());
    }
    if (spec.low() != spec.high()) {
      throw new IllegalArgumentException("PORT/PROTO: one port, not a range: \"" + service + "\"");
    }
    int proto = spec.proto() == ConnectionEvent.ICMP && r.v6() ? ConnectionEvent.ICMPV6 : spec.proto();
    return new Connection(o, r, spec.low(), proto, atMicros);
  }

  private static IpAddr address(String what, String text) {
    try {
      return IpAddr.parse(text);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(what + ": not an IP address: \"" + text + "\"");
    }
  }

  /** The event the policies are asked about (originator port 0: no policy looks at it). */
  public ConnectionEvent toEvent() {
    return ConnectionEvent.builder().tsMicros(atMicros).origH(orig).origP(0).respH(resp).respP(port).proto(proto)
        .source(EventSource.ZEEK).build();
  }

  /** {@code 443/tcp} as the command line and notice.log say it. */
  public String service() {
    String name = switch (proto) {
      case ConnectionEvent.TCP -> "tcp";
      case ConnectionEvent.UDP -> "udp";
      default -> "icmp";
    };
    return port + "/" + name;
  }
}
