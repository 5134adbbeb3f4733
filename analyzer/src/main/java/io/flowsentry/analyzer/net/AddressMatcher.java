package io.flowsentry.analyzer.net;

import io.flowsentry.collector.event.IpAddr;

/** Something an address can be tested against on the event path without blocking. */
@FunctionalInterface
public interface AddressMatcher {
  boolean contains(IpAddr address);
}
