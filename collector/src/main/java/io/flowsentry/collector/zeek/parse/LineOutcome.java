package io.flowsentry.collector.zeek.parse;

import io.flowsentry.collector.event.ConnectionEvent;

/** What one line of a conn.log became: an event, header/comment text, or a bad line. */
public sealed interface LineOutcome {

  /** A data line that became a connection event. */
  record Event(ConnectionEvent event) implements LineOutcome {}

  /** A header directive, comment or blank line: consumed, not data. */
  record Meta() implements LineOutcome {
    static final Meta INSTANCE = new Meta();
  }

  /** A data line that gave no event; {@code detail} says what was wrong, for the log. */
  record Bad(BadLineReason reason, String detail) implements LineOutcome {}

  static LineOutcome bad(BadLineReason reason, String detail) {
    return new Bad(reason, detail);
  }
}
