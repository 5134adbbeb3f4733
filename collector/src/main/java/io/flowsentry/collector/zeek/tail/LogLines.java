package io.flowsentry.collector.zeek.tail;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.parse.BadLineReason;
import io.flowsentry.collector.zeek.parse.LineOutcome;
import io.flowsentry.collector.zeek.parse.ZeekLineParser;

/**
 * The lines of one log file through its parser to the event handler: counts events and bad
 * lines, numbers lines for reports, and skips (header-only) what an earlier run already
 * processed, up to {@code resumeOffset}. Shared by the live tailer and the offline reader.
 */
public final class LogLines implements LineReader.Sink {
  /** Where bad lines go: the caller's rate-limited log and counters. */
  @FunctionalInterface
  public interface BadLines {
    void bad(String file, long lineNumber, BadLineReason reason, String detail);
  }

  private final String file;
  private final ZeekLineParser parser;
  private final EventHandler handler;
  private final BadLines badLines;
  private long resumeOffset;
  private long lineNumber;
  private long events;
  private long taken;
  private long bad;
  private long processedOffset;
  private long takenDataLines;
  private long takenBadLines;
  /** Zeek writes a conn.log line when the connection ends: ts + duration of the newest event, epoch micros. */
  private long lastLoggedMicros = -1;

  /**
   * @param file the file's name for reports and the events' exporter
   * @param resumeOffset lines ending at or before this offset were processed before: only their header text is read
   * @param parsers makes the file's parser (conn.log, dns.log)
   */
  public LogLines(String file, EventHandler handler, BadLines badLines, long resumeOffset, ZeekLineParser.Factory parsers) {
    this.file = file;
    this.parser = parsers.forFile(file);
    this.handler = handler;
    this.badLines = badLines;
    this.resumeOffset = resumeOffset;
    this.processedOffset = resumeOffset;
  }

  @Override
  public void line(byte[] b, int from, int to, long endOffset) {
    if (endOffset <= resumeOffset) {
      lineNumber++;
      parser.skip(b, from, to);
      return;
    }
    LineOutcome outcome = parser.parse(b, from, to);
    if (outcome instanceof LineOutcome.Event e) {
      handler.onEvent(e.event()); // first: if it throws, the line is handed over again later
    }
    lineNumber++;
    switch (outcome) {
      case LineOutcome.Event e -> {
        events++;
        ConnectionEvent ev = e.event();
        lastLoggedMicros = ev.tsMicros() + Math.max(ev.durationMicros(), 0);
      }
      case LineOutcome.Taken t -> taken++;
      case LineOutcome.Bad b2 -> badLine(b2.reason(), b2.detail());
      case LineOutcome.Meta m -> { }
    }
    processedOffset = endOffset;
  }

  @Override
  public void tooLong(long endOffset) {
    lineNumber++;
    if (endOffset > resumeOffset) {
      badLine(BadLineReason.LINE_TOO_LONG, "longer than the line limit");
      processedOffset = endOffset;
    }
  }

  /** The file ended (rotated away or truncated) inside an unfinished line. */
  public void incompleteLine() {
    badLine(BadLineReason.INCOMPLETE_LINE, "no newline at the end of the file");
  }

  private void badLine(BadLineReason reason, String detail) {
    bad++;
    badLines.bad(file, lineNumber, reason, detail);
  }

  /** Offset just after the last line handed to the handler (or skipped as processed before). */
  public long processedOffset() {
    return processedOffset;
  }

  public long events() {
    return events;
  }

  public long badLines() {
    return bad;
  }

  /** Data lines processed: events, lines the parser took and bad lines. */
  public long dataLines() {
    return events + taken + bad;
  }

  /** Data lines processed since the last call (for counters updated per chunk, not per line). */
  public long takeNewDataLines() {
    long n = dataLines() - takenDataLines;
    takenDataLines = dataLines();
    return n;
  }

  /** Bad lines since the last call. */
  public long takeNewBadLines() {
    long n = bad - takenBadLines;
    takenBadLines = bad;
    return n;
  }

  public long lastLoggedMicros() {
    return lastLoggedMicros;
  }

  public String file() {
    return file;
  }

  public ZeekLineParser parser() {
    return parser;
  }
}
