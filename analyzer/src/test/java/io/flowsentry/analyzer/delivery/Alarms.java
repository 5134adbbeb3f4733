package io.flowsentry.analyzer.delivery;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import java.time.Duration;

/** Alarms for delivery tests: the n-th has originator port 10000 + n, so a receiver can tell them apart. */
final class Alarms {
  private Alarms() {}

  static Alarm alarm(int n) {
    ConnectionEvent e = ConnectionEvent.builder().tsMicros(1_700_000_000_000_000L + n).origH("192.168.4.7")
        .origP(10_000 + n).respH("203.0.113.9").respP(443).proto(ConnectionEvent.TCP).uid("C" + n)
        .source(EventSource.ZEEK).build();
    return new Alarm("restricted-outgoing", "UnexpectedOutgoingConnection",
        "RestrictedOutgoing::Unexpected_Outgoing_Connection", e, Duration.ofSeconds(60), null);
  }
}
