package io.flowsentry.collector.netflow;

import io.flowsentry.collector.event.IpAddr;
import java.net.InetSocketAddress;

/**
 * Who an exporter is for state and metrics. By default the address alone
 * ({@code limits.exporter_includes_port: false}): NAT and exporters that open a new socket per
 * export change the source port, and their sequence state should survive that. With the port
 * included, each UDP source port is its own exporter, as RFC 7011 scopes state to the transport
 * session.
 *
 * @param address the datagram's source address
 * @param port the source port, or -1 when the port is not part of the identity
 */
public record ExporterId(IpAddr address, int port) {

  public static ExporterId of(InetSocketAddress sender, boolean includePort) {
    return new ExporterId(IpAddr.of(sender.getAddress()), includePort ? sender.getPort() : -1);
  }

  /** The {@code exporter} metric label: the address, or address:port ([v6]:port) when the port is included. */
  public String label() {
    if (port < 0) return address.toString();
    return address.v6() ? "[" + address + "]:" + port : address + ":" + port;
  }
}
