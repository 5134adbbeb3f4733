package io.flowsentry.collector.udp;

import io.flowsentry.collector.event.IpAddr;
import java.net.InetSocketAddress;

/**
 * A listen address as the configuration writes it: {@code 0.0.0.0:2055}, {@code [::1]:4739}.
 * Only address literals: a listener never waits for DNS at start-up.
 */
public record ListenAddress(IpAddr address, int port) {

  public static final String EXPECTED = "host:port with an IP address literal (IPv6 in brackets, e.g. [::1]:2055) and a port 0-65535";

  /** @throws IllegalArgumentException naming {@link #EXPECTED} when the text is not such an address */
  public static ListenAddress parse(String text) {
    if (text == null) throw new IllegalArgumentException("expected " + EXPECTED);
    String s = text.strip();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("expected " + EXPECTED);
    String host = s.substring(0, colon);
    if (host.indexOf(':') >= 0 && !(host.startsWith("[") && host.endsWith("]"))) {
      throw new IllegalArgumentException("expected " + EXPECTED); // bare IPv6: the port is ambiguous
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected " + EXPECTED);
    }
    if (port < 0 || port > 65535) throw new IllegalArgumentException("expected " + EXPECTED);
    boolean bracketed = host.startsWith("[") && host.endsWith("]");
    return new ListenAddress(IpAddr.parse(bracketed ? host.substring(1, host.length() - 1) : host), port);
  }

  /** A socket's address in the configuration's form (InetSocketAddress prints a "/" before the address). */
  public static ListenAddress of(InetSocketAddress a) {
    return new ListenAddress(IpAddr.of(a.getAddress()), a.getPort());
  }

  public InetSocketAddress toSocketAddress() {
    return new InetSocketAddress(address.toInetAddress(), port);
  }

  @Override
  public String toString() {
    return (address.v6() ? "[" + address + "]" : address.toString()) + ":" + port;
  }
}
