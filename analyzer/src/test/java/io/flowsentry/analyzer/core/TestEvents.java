package io.flowsentry.analyzer.core;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;

/** Connection events for tests, as a Zeek conn.log line would give them. */
public final class TestEvents {
  private TestEvents() {}

  /** An event at {@code seconds} (epoch seconds, fractional allowed to the microsecond). */
  public static ConnectionEvent event(double seconds, String orig, int origP, String resp, int respP, int proto) {
    return ConnectionEvent.builder()
        .tsMicros(Math.round(seconds * 1_000_000))
        .origH(orig).origP(origP).respH(resp).respP(respP).proto(proto)
        .directionConfidence(DirectionConfidence.EXPORTER)
        .source(EventSource.ZEEK).exporter("conn.log")
        .build();
  }

  public static ConnectionEvent tcp(double seconds, String orig, String resp, int respP) {
    return event(seconds, orig, 49152, resp, respP, ConnectionEvent.TCP);
  }

  public static ConnectionEvent udp(double seconds, String orig, String resp, int respP) {
    return event(seconds, orig, 49152, resp, respP, ConnectionEvent.UDP);
  }
}
