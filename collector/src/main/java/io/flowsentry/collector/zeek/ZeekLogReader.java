package io.flowsentry.collector.zeek;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.parse.ZeekLineParser;
import io.flowsentry.collector.zeek.tail.BadLineLog;
import io.flowsentry.collector.zeek.tail.FileIdentity;
import io.flowsentry.collector.zeek.tail.LineReader;
import io.flowsentry.collector.zeek.tail.LogLines;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * Reads whole conn.log files, plain or gzip-compressed (told by content, not name), TSV or
 * JSON, in the order given: the offline {@code flowsentry replay FILE...} and the tailer's
 * backfill of rotated archives. Bad lines are counted per file, reported rate-limited, skipped.
 */
public final class ZeekLogReader {
  /** Longest line read; longer lines are counted bad and skipped to their newline. */
  public static final int MAX_LINE_LENGTH = 64 * 1024;
  private static final int CHUNK = 1 << 20;

  /** What one file gave. */
  public record FileSummary(Path file, long events, long badLines) {}

  private final EventHandler handler;
  private final boolean keepRaw;
  private final BadLineLog badLineLog;

  /**
   * @param handler receives the events, in file order
   * @param keepRaw whether events carry every column in {@code raw} (events sink {@code raw: true})
   * @param clock paces the bad-line reports
   */
  public ZeekLogReader(EventHandler handler, boolean keepRaw, Clock clock) {
    this.handler = handler;
    this.keepRaw = keepRaw;
    this.badLineLog = new BadLineLog(clock);
  }

  public List<FileSummary> readAll(List<Path> files) throws IOException {
    List<FileSummary> out = new ArrayList<>(files.size());
    for (Path f : files) out.add(read(f));
    return out;
  }

  public FileSummary read(Path file) throws IOException {
    LogLines lines = new LogLines(file.toString(), handler, badLineLog::report, 0, ZeekLineParser.connLog(keepRaw));
    read(file, lines, l -> { });
    return new FileSummary(file, lines.events(), lines.badLines());
  }

  /**
   * Reads {@code file} to its end into {@code lines}, calling {@code afterChunk} after each
   * chunk (for counters and checkpoints). A last line without newline is a bad line: an
   * archive does not grow any more.
   */
  public static void read(Path file, LogLines lines, Consumer<LogLines> afterChunk) throws IOException {
    LineReader reader = new LineReader(MAX_LINE_LENGTH, 0);
    try (InputStream in = open(file)) {
      while (reader.readAvailable(in::read, lines, CHUNK) > 0) {
        afterChunk.accept(lines);
      }
    }
    if (reader.hasPartialLine()) lines.incompleteLine();
    afterChunk.accept(lines);
  }

  /** The file's content, decompressed when it starts with the gzip magic bytes. */
  public static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      in.mark(2);
      boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
      in.reset();
      return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /** The fingerprint of the (decompressed) content of {@code file}, or null if it has no complete first line. */
  public static String fingerprint(Path file) throws IOException {
    try (InputStream in = open(file)) {
      byte[] head = in.readNBytes(FileIdentity.SCAN_BYTES);
      return FileIdentity.fingerprint(head, head.length);
    }
  }
}
