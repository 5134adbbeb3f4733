package io.flowsentry.collector.zeek.parse;

/** The two ways Zeek writes logs; detected per file from its first line. */
public enum ZeekFormat {
  /** Not yet known: no non-blank line seen. */
  UNKNOWN,
  /** Zeek ASCII writer: {@code #} header lines, then separator-delimited columns (or zeek-cut style: one column-name line). */
  TSV,
  /** {@code LogAscii::use_json=T}: one JSON object per line. */
  JSON
}
