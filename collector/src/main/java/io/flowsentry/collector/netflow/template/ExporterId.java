package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.event.IpAddr;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Who sent an export message, as far as template, pending-data and sampling state is concerned.
 *
 * <p>By default the identity is the source address alone ({@code port == -1}): exporters behind
 * NAT or in containers change their UDP source port on restart or re-binding, and keeping the
 * port would strand their templates until they time out. RFC 7011 section 8 scopes templates to
 * the transport session, i.e. address and port; {@code limits.exporter_includes_port: true}
 * follows it strictly, which is right when several exporting processes share one address.
 *
 * @param address source IP of the datagram
 * @param port UDP source port, or -1 when the port is not part of the identity
 */
public record ExporterId(IpAddr address, int port) {

  public static ExporterId of(InetSocketAddress sender, boolean includePort) {
    return new ExporterId(IpAddr.of(sender.getAddress()), includePort ? sender.getPort() : -1);
  }

  /** "address:port" of a datagram source, for error details before the exporter is known. */
  public static String describe(InetSocketAddress sender) {
    IpAddr a = IpAddr.of(sender.getAddress());
    return a.v6() ? "[" + a + "]:" + sender.getPort() : a + ":" + sender.getPort();
  }

  // equals and hashCode: as in IpAddr, the record's own value written out (one lookup per datagram each)
  @Override
  public boolean equals(Object o) {
    return o instanceof ExporterId e && port == e.port && Objects.equals(address, e.address);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(address) + Integer.hashCode(port);
  }

  @Override
  public String toString() {
    if (port < 0) return address.toString();
    return address.v6() ? "[" + address + "]:" + port : address + ":" + port;
  }
}
