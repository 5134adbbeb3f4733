package io.flowsentry.collector.zeek.parse;

/**
 * The lines of one Zeek log, in order, to outcomes: what the tailer and the offline reader
 * need from a log's parser, so one tailer follows conn.log and dns.log alike.
 */
public interface ZeekLineParser {
  /** One line {@code b[from, to)}, without its newline. */
  LineOutcome parse(byte[] b, int from, int to);

  /** A line processed in an earlier run: header lines update the state, data lines give nothing. */
  void skip(byte[] b, int from, int to);

  /** Makes the parser for one file. */
  @FunctionalInterface
  interface Factory {
    ZeekLineParser forFile(String file);
  }

  /** conn.log to connection events; {@code keepRaw}: events carry every column in {@code raw}. */
  static Factory connLog(boolean keepRaw) {
    return file -> new ConnLogParser(file, keepRaw);
  }
}
