package io.flowsentry.collector.zeek.dns;

import io.flowsentry.collector.zeek.parse.BadLineReason;

/** What one line of a dns.log became. */
public sealed interface DnsLine {

  /** A query that was answered with at least one address. */
  record Answered(DnsAnswers answers) implements DnsLine {}

  /** A query without an A/AAAA answer (unanswered, NXDOMAIN, only CNAME/TXT/...): nothing to learn. */
  record NoAddress() implements DnsLine {
    static final NoAddress INSTANCE = new NoAddress();
  }

  /** A header directive, comment or blank line. */
  record Nothing() implements DnsLine {
    static final Nothing INSTANCE = new Nothing();
  }

  /** A data line that could not be read; {@code detail} says what was wrong, for the log. */
  record Bad(BadLineReason reason, String detail) implements DnsLine {}
}
