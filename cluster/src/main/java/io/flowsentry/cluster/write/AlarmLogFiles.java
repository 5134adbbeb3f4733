package io.flowsentry.cluster.write;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.alarm.Rotation;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.cluster.wire.AlarmCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code alarms.log}, {@code <policy>.log} and {@code notice.log} in the alarm writer role, with
 * the single node's lines ({@link AlarmFormat}, as analyzer/alarm/AlarmWriter writes them) and
 * their sizes, which the writer's state file records so that a restart can cut what a crash left
 * after the last recorded record. Files are few: the two fixed ones and one per policy.
 */
public final class AlarmLogFiles implements AutoCloseable {
  private final Path logDir;
  private final AlarmFormat format;
  private final boolean alarmLineNames;
  private final boolean fsync;
  private final Rotation rotation;
  private final Map<String, FileChannel> open = new TreeMap<>();
  private final Map<String, Long> openedPeriod = new TreeMap<>();

  public AlarmLogFiles(Path logDir, AlarmFormat format, boolean alarmLineNames, boolean fsync, Rotation rotation)
      throws IOException {
    this.logDir = logDir;
    this.rotation = rotation;
    this.format = format;
    this.alarmLineNames = alarmLineNames;
    this.fsync = fsync;
    Files.createDirectories(logDir);
  }

  /**
   * The lines of one decoded record, by file name, in the order they are written: a shadow
   * policy's alarm or summary only to {@code <policy>.log}, marked {@code mode=shadow}.
   */
  public Map<String, byte[]> lines(AlarmCodec.Decoded d) {
    Map<String, byte[]> lines = new LinkedHashMap<>();
    if (d instanceof AlarmCodec.DecodedAlarm da) {
      Alarm a = da.alarm();
      String respName = da.respName();
      if (a.shadow()) { // as on one node: only the policy's own log, marked, so it pages no one
        lines.put(a.policy() + ".log", bytes(format.shadowLine(a, respName)));
        return lines;
      }
      byte[] named = bytes(format.namedLine(a, respName));
      lines.put("alarms.log", respName == null || alarmLineNames ? named : bytes(format.classicLine(a)));
      lines.put(a.policy() + ".log", named);
      lines.put("notice.log", bytes(format.noticeJson(a, respName)));
    } else if (d instanceof AlarmCodec.DecodedSummary ds) {
      AlarmSummary s = ds.summary();
      if (s.mode() == PolicyMode.SHADOW) {
        lines.put(s.policy() + ".log", bytes(format.shadowLine(s)));
        return lines;
      }
      byte[] classic = bytes(format.classicLine(s));
      lines.put("alarms.log", classic);
      lines.put(s.policy() + ".log", classic);
      lines.put("notice.log", bytes(format.noticeJson(s)));
    }
    return lines;
  }

  /** Whether a file of that name is open (known to the state file) already. */
  boolean isOpen(String name) {
    return open.containsKey(name);
  }

  public void append(String name, byte[] line) throws IOException {
    FileChannel c = channel(name);
    ByteBuffer buf = ByteBuffer.wrap(line);
    while (buf.hasRemaining()) c.write(buf);
  }

  /** Every file's size now (all written so far is in the kernel; with {@code fsync} on disk). */
  Map<String, Long> sizes() throws IOException {
    Map<String, Long> sizes = new TreeMap<>();
    for (var e : open.entrySet()) {
      if (fsync) e.getValue().force(false);
      sizes.put(e.getKey(), e.getValue().size());
    }
    return sizes;
  }

  /**
   * Opens the files the state names and cuts each back to its recorded size: what is beyond it
   * was written for records after the recorded offsets, which will be read and written again.
   *
   * @return the files that were cut, with how many bytes
   */
  Map<String, Long> restore(Map<String, Long> sizes) throws IOException {
    // a file opened since the state was saved is unknown to it again, so the writer records it
    // before its first line once more (else a failed save repeats that line on the next try)
    close();
    Map<String, Long> cut = new TreeMap<>();
    for (var e : sizes.entrySet()) {
      FileChannel c = channel(e.getKey());
      long size = c.size();
      if (size == 0 && e.getValue() > 0 && rotatedAt(e.getKey(), e.getValue())) {
        continue; // moved aside (outputs.rotate) after the state was saved, before the next save
      }
      if (size > e.getValue()) {
        c.truncate(e.getValue());
        cut.put(e.getKey(), size - e.getValue());
      } else if (size < e.getValue()) {
        throw new IOException(logDir.resolve(e.getKey()) + " is " + size + " bytes, shorter than the " + e.getValue()
            + " the alarm writer's state records: it was replaced or cut by someone else (rotated?); move the state file"
            + " away to start over, or restore the file");
      }
    }
    return cut;
  }

  /**
   * Moves aside (outputs.rotate) every open file that is due before {@code nextBytes} more of its
   * lines, and opens it anew, empty. The caller saves the state right after, so that a restart
   * knows the new file; one that comes between the two finds the old file under its rotated name
   * at the size the state records ({@link #restore}).
   *
   * @return the files moved aside
   */
  List<String> rotateDue(Map<String, Long> nextBytes) throws IOException {
    List<String> rotated = new ArrayList<>();
    for (var e : nextBytes.entrySet()) {
      FileChannel c = open.get(e.getKey());
      if (c == null || !rotation.due(c.size(), e.getValue(), openedPeriod.get(e.getKey()))) continue;
      if (fsync) c.force(false);
      c.close();
      open.remove(e.getKey());
      rotation.moveAside(logDir.resolve(e.getKey()));
      channel(e.getKey());
      rotated.add(e.getKey());
    }
    return rotated;
  }

  private boolean rotatedAt(String name, long recordedSize) throws IOException {
    var newest = rotation.newest(logDir.resolve(name));
    return newest.isPresent() && Files.size(newest.get()) == recordedSize;
  }

  List<String> names() {
    return List.copyOf(open.keySet());
  }

  private FileChannel channel(String name) throws IOException {
    FileChannel c = open.get(name);
    if (c == null) {
      c = FileChannel.open(logDir.resolve(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      c.position(c.size());
      open.put(name, c);
      openedPeriod.put(name, rotation.periodNow());
    }
    return c;
  }

  private static byte[] bytes(String line) {
    return (line + "\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    for (FileChannel c : open.values()) c.close();
    open.clear();
  }
}
