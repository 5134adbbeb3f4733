package io.flowsentry.collector.zeek.parse;

/**
 * Why a conn.log line gave no event. {@link #tag()} is stable text for logs and tests; the
 * set stays small and fixed.
 */
public enum BadLineReason {
  /** A TSV line with more or fewer columns than its {@code #fields} header. */
  COLUMN_COUNT("column_count"),
  /** {@code id.orig_h} or {@code id.resp_h} is not an address literal. */
  BAD_ADDRESS("bad_address"),
  /** {@code ts} masked by Zeek's test tooling ({@code XXXXXXXXXX.XXXXXX}). */
  MASKED_TIMESTAMP("masked_timestamp"),
  /** {@code ts} is neither epoch seconds nor ISO 8601. */
  BAD_TIMESTAMP("bad_timestamp"),
  /** A port, counter, duration or ip_proto that is not a number in range. */
  BAD_NUMBER("bad_number"),
  /** A column an event cannot do without ({@code ts}, {@code id.orig_h}, {@code id.resp_h}) is absent or unset. */
  MISSING_FIELD("missing_field"),
  /** A data line before any {@code #fields} (or zeek-cut column) header. */
  NO_HEADER("no_header"),
  /** A JSON line that is not one well-formed object. */
  BAD_JSON("bad_json"),
  /** Longer than the line limit; skipped up to the next newline. */
  LINE_TOO_LONG("line_too_long"),
  /** The file ended (was rotated away or truncated) inside a line that never got its newline. */
  INCOMPLETE_LINE("incomplete_line");

  private final String tag;

  BadLineReason(String tag) {
    this.tag = tag;
  }

  public String tag() {
    return tag;
  }
}
