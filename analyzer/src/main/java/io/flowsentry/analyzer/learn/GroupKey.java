package io.flowsentry.analyzer.learn;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.IpAddr;

/**
 * A group of would-be alarms: one restricted host's service (port/proto) towards one destination
 * network, under one responder name.
 *
 * @param name what the originator resolved to the responder, as the daemon's {@code resp_name}
 *     gives it (lower case, at most {@link TrafficGroups#MAX_NAME} characters), or null when no
 *     name is known (no dns.log, or none answered for it): connections without a name are a
 *     bucket of their own
 */
public record GroupKey(String policy, IpAddr orig, int port, int proto, Cidr destination, String name) {
  /** A group without a name (no passive DNS). */
  public GroupKey(String policy, IpAddr orig, int port, int proto, Cidr destination) {
    this(policy, orig, port, proto, destination, null);
  }
}
