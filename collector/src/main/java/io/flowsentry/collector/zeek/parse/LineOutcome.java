package io.flowsentry.collector.zeek.parse;

import io.flowsentry.collector.event.ConnectionEvent;

/** What one line of a Zeek log became: an event, a data line taken by its parser, header/comment text, or a bad line. */
public sealed interface LineOutcome {

  /** A data line that became a connection event. */
  record Event(ConnectionEvent event) implements LineOutcome {}

  /** A data line that gave no event but was handed on by the parser itself (a dns.log answer to the passive DNS table). */
  record Taken() implements LineOutcome {
    public static final Taken INSTANCE = new Taken();
  }

  /** A header directive, comment or blank line: consumed, not data. */
  record Meta() implements LineOutcome {
    public static final Meta INSTANCE = new Meta();
  }

  /** A data line that gave no event; {@code detail} says what was wrong, for the log. */
  record Bad(BadLineReason reason, String detail) implements LineOutcome {}

  public static LineOutcome bad(BadLineReason reason, String detail) {
    return new Bad(reason, detail);
  }
}
