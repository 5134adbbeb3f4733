package io.flowsentry.collector.zeek.tail;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.parse.ZeekLineParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A live log file held open while it is read: after a rename, a replacement or even deletion
 * (Zeek's post-processor gzips and unlinks rotated logs) the open channel still reads the
 * same inode to its end. Tracks the channel position, the identity, and the lines processed.
 */
public final class OpenLog implements AutoCloseable {
  private final Path followedAs;
  private final FileChannel channel;
  private final FileKey key;
  private final EventHandler handler;
  private final LogLines.BadLines badLines;
  private final int maxLineLength;
  private final ZeekLineParser.Factory parsers;
  private String fingerprint;
  private LineReader reader;
  private LogLines lines;
  private long position;
  private int quietPolls;

  private OpenLog(Path followedAs, FileChannel channel, FileKey key, EventHandler handler,
      LogLines.BadLines badLines, int maxLineLength, ZeekLineParser.Factory parsers) {
    this.followedAs = followedAs;
    this.channel = channel;
    this.key = key;
    this.handler = handler;
    this.badLines = badLines;
    this.maxLineLength = maxLineLength;
    this.parsers = parsers;
  }

  /** Opens the file now at {@code path}, making sure the key read is the key of the file opened. */
  public static OpenLog open(Path path, EventHandler handler, LogLines.BadLines badLines, int maxLineLength,
      ZeekLineParser.Factory parsers) throws IOException {
    for (int attempt = 1; ; attempt++) {
      FileKey before = FileKey.stat(path).key();
      FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
      try {
        FileKey after = FileKey.stat(path).key();
        if (before.equals(after)) {
          OpenLog log = new OpenLog(path, ch, after, handler, badLines, maxLineLength, parsers);
          log.fingerprint = log.readFingerprint();
          return log;
        }
        ch.close();
        // the name moved to another file while opening (rotation): the channel's key is unknown, try again
        if (attempt == 3) throw new IOException(path + " keeps changing while being opened");
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
    }
  }

  /** Starts reading at {@code resumeOffset}: lines ending at or before it were processed in an earlier run. */
  public void startAt(long resumeOffset) {
    reader = new LineReader(maxLineLength, 0);
    lines = new LogLines(followedAs.toString(), handler, badLines, resumeOffset, parsers);
    position = 0;
  }

  /** Truncated or rewritten in place: everything in it now is new. */
  public void restart() throws IOException {
    startAt(0);
    fingerprint = readFingerprint();
  }

  /** Reads at most {@code maxBytes} of what has been appended, handing out complete lines. */
  public long readAvailable(long maxBytes) throws IOException {
    long n = reader.readAvailable(this::readAtPosition, lines, maxBytes);
    if (n > 0 && fingerprint == null) fingerprint = readFingerprint();
    quietPolls = n > 0 ? 0 : quietPolls + 1;
    return n;
  }

  private int readAtPosition(byte[] b, int off, int len) throws IOException {
    int n = channel.read(ByteBuffer.wrap(b, off, len), position);
    if (n > 0) position += n;
    return n;
  }

  /** Whether the start of the file no longer matches the fingerprint taken (rewritten in place). */
  public boolean contentReplaced() throws IOException {
    if (fingerprint == null) {
      fingerprint = readFingerprint();
      return false;
    }
    String now = readFingerprint();
    return now != null && !now.equals(fingerprint);
  }

  private String readFingerprint() throws IOException {
    ByteBuffer head = ByteBuffer.allocate(FileIdentity.SCAN_BYTES);
    while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
      // keep reading: a read may return fewer bytes than are there
    }
    return FileIdentity.fingerprint(head.array(), head.position());
  }

  /** Current size of the file behind the channel. */
  public long size() throws IOException {
    return channel.size();
  }

  public FileKey key() {
    return key;
  }

  public FileIdentity identity() {
    return new FileIdentity(key, fingerprint);
  }

  /** Bytes read from the channel so far (including a held-back partial line). */
  public long position() {
    return position;
  }

  /** Polls in a row that found nothing new. */
  public int quietPolls() {
    return quietPolls;
  }

  public boolean hasPartialLine() {
    return reader.hasPartialLine();
  }

  public LogLines lines() {
    return lines;
  }

  public Path followedAs() {
    return followedAs;
  }

  public Checkpoint.FilePosition checkpointPosition() {
    return new Checkpoint.FilePosition(followedAs.toString(), key.dev(), key.ino(), fingerprint, lines.processedOffset());
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
