package io.flowsentry.collector.zeek.tail;

import java.io.IOException;

/**
 * Splits a byte stream into lines with bounded memory: a line longer than the limit is
 * reported once as too long and skipped up to its newline; a last line without its newline is
 * kept back (never handed out) until the newline arrives. Tracks the byte offset after the last
 * complete line, which is what checkpoints record.
 */
public final class LineReader {
  /** Where the bytes come from: a file channel at a position, or a (decompressing) stream. */
  @FunctionalInterface
  public interface Source {
    /** Reads up to {@code len} bytes into {@code b[off..]}; returns the count, 0 or -1 when nothing is available now. */
    int read(byte[] b, int off, int len) throws IOException;
  }

  /** Receives each complete line (without its newline) and the offset just after its newline. */
  public interface Sink {
    void line(byte[] b, int from, int to, long endOffset);

    /** A line longer than the limit ended at {@code endOffset}; its bytes were dropped. */
    void tooLong(long endOffset);
  }

  private final int maxLineLength;
  private final byte[] buf;
  private int start;
  private int end;
  /** File offset of {@code buf[start]}: the first byte not yet handed out as part of a line. */
  private long offset;
  private boolean skipping;

  /**
   * @param maxLineLength longest line handed out, newline excluded
   * @param offset file offset of the first byte the source will deliver
   */
  public LineReader(int maxLineLength, long offset) {
    this.maxLineLength = maxLineLength;
    this.buf = new byte[Math.max(maxLineLength + 1, 1 << 16) * 2];
    this.offset = offset;
  }

  /** Offset just after the last complete line handed out (or skipped as too long). */
  public long offset() {
    return offset;
  }

  /** Whether bytes of an unfinished line are held back. */
  public boolean hasPartialLine() {
    return end > start || skipping;
  }

  /** Forgets held-back bytes and continues at {@code newOffset} (after truncation). */
  public void reset(long newOffset) {
    start = end = 0;
    skipping = false;
    offset = newOffset;
  }

  /**
   * Reads until the source has nothing more right now or {@code maxBytes} were read, handing out
   * every complete line. Returns the number of bytes read.
   */
  public long readAvailable(Source source, Sink sink, long maxBytes) throws IOException {
    split(sink); // lines left when the sink failed last time
    long total = 0;
    while (total < maxBytes) {
      if (end == buf.length) compact();
      int n = source.read(buf, end, (int) Math.min(buf.length - end, maxBytes - total));
      if (n <= 0) break;
      total += n;
      end += n;
      split(sink);
    }
    return total;
  }

  private void split(Sink sink) {
    int lineStart = start;
    for (int i = findNewline(start); i >= 0; i = findNewline(i + 1)) {
      long endOffset = offset + (i + 1 - start);
      if (skipping) {
        skipping = false;
        sink.tooLong(endOffset);
      } else if (i - lineStart > maxLineLength) {
        sink.tooLong(endOffset);
      } else {
        sink.line(buf, lineStart, i, endOffset);
      }
      offset = endOffset;
      start = lineStart = i + 1;
    }
    if (end - start > maxLineLength) {
      // no newline within the limit: drop what is held and skip to the next newline
      offset += end - start;
      start = end = 0;
      skipping = true;
    }
  }

  private int findNewline(int from) {
    for (int i = from; i < end; i++) {
      if (buf[i] == '\n') return i;
    }
    return -1;
  }

  private void compact() {
    System.arraycopy(buf, start, buf, 0, end - start);
    end -= start;
    start = 0;
  }
}
