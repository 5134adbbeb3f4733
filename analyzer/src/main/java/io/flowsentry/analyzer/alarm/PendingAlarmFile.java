package io.flowsentry.analyzer.alarm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The lines of the alarm being written, saved before any of them is appended. An alarm is several
 * appends (alarms.log, {@code <policy>.log}, notice.log, then its key to the suppression journal),
 * and {@code kill -9} can land between two of them: the alarm is then in some files and its key in
 * no journal, so the restarted daemon would read its conn.log line again and alarm twice. With the
 * lines saved first, the restart {@link #finish finishes} the one alarm that can be unfinished (the
 * writer is one thread: every earlier alarm completed before this one was saved) by appending what
 * each file lacks, and journals its key — no alarm lost, none doubled.
 *
 * <p>The file is rewritten in place for every alarm (one write and a truncate: alarms are rare) and
 * emptied when the logs are reopened after a rotation or closed cleanly, so a finished alarm is never
 * appended to a fresh file. Owned by the alarm writer thread.
 */
final class PendingAlarmFile implements AutoCloseable {
  static final String FILE_NAME = "alarm.pending";
  private static final byte[] NOTHING = new byte[0];

  private final FileChannel channel;

  PendingAlarmFile(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
  }

  /**
   * Saves an alarm's lines before they are written.
   *
   * @param lines each log file's name (relative to the log folder) and the line it gets, newline included
   * @param journalLine the key's journal line, newline included
   */
  void save(Map<String, byte[]> lines, byte[] journalLine) throws IOException {
    StringBuilder text = new StringBuilder(512);
    lines.forEach((name, line) -> text.append(name).append('\t').append(new String(line, StandardCharsets.UTF_8)));
    text.append('\t').append(new String(journalLine, StandardCharsets.UTF_8));
    write(text.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Forgets the saved alarm: every line of it is written. */
  void clear() throws IOException {
    write(NOTHING);
  }

  private void write(byte[] bytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    long at = 0;
    while (buf.hasRemaining()) at += channel.write(buf, at);
    channel.truncate(bytes.length);
  }

  /** What a saved alarm still needs after a restart. */
  record Unfinished(Map<String, byte[]> missingLines, byte[] journalLine) {}

  /**
   * Reads the saved alarm, if any, and tells which of its lines (by file name) the files in
   * {@code logDir} do not end with. Null when nothing was saved.
   */
  Unfinished unfinished(Path logDir) throws IOException {
    long size = channel.size();
    if (size == 0) return null;
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(size, 1 << 20));
    long at = 0;
    while (buf.hasRemaining() && at < size) at += channel.read(buf, at);
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    // one "name<TAB>line" per log file, then "<TAB>journal line"; a torn save lacks its last newline
    // and means no line of that alarm was appended yet
    if (!text.endsWith("\n")) return null;
    Map<String, byte[]> missing = new LinkedHashMap<>();
    byte[] journalLine = null;
    for (String record : text.substring(0, text.length() - 1).split("\n", -1)) {
      int tab = record.indexOf('\t');
      if (tab < 0) return null;
      byte[] line = (record.substring(tab + 1) + "\n").getBytes(StandardCharsets.UTF_8);
      if (tab == 0) {
        journalLine = line;
        continue;
      }
      String name = record.substring(0, tab);
      if (!endsWith(logDir.resolve(name), line)) missing.put(name, line);
    }
    if (journalLine == null) return null;
    return new Unfinished(missing, journalLine);
  }

  private static boolean endsWith(Path file, byte[] line) throws IOException {
    if (!Files.exists(file)) return false;
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      if (size < line.length) return false;
      ByteBuffer tail = ByteBuffer.allocate(line.length);
      long at = size - line.length;
      while (tail.hasRemaining()) {
        int n = in.read(tail, at);
        if (n < 0) return false;
        at += n;
      }
      return Arrays.equals(tail.array(), line);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
