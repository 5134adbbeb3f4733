package io.flowsentry.analyzer.suppress;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.IpAddr;

/**
 * What one alarm stands for within a policy: the seed's (src_ip, dst_ip, dst_port) with the
 * protocol, so 53/udp and 53/tcp are different connections. The policy is the table it lives in.
 */
public record SuppressionKey(IpAddr origH, IpAddr respH, int respP, int proto) {
  public static SuppressionKey of(ConnectionEvent e) {
    return new SuppressionKey(e.origH(), e.respH(), e.respP(), e.proto());
  }
}
