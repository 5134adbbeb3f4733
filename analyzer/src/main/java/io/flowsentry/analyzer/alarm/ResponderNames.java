package io.flowsentry.analyzer.alarm;

import io.flowsentry.collector.event.IpAddr;

/** The name an alarm gives its responder ({@code resp_name}): what the originator resolved to it. */
@FunctionalInterface
public interface ResponderNames {
  /** No passive DNS: alarms carry no {@code resp_name}. */
  ResponderNames NONE = (originator, responder, atMicros) -> null;

  /** The name, or null when none is known for a connection at {@code atMicros} (epoch microseconds). */
  String nameFor(IpAddr originator, IpAddr responder, long atMicros);
}
