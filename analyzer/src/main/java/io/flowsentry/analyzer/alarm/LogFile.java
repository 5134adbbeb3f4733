package io.flowsentry.analyzer.alarm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One append-only log file, owned by the alarm writer thread. Each line is a single write
 * straight to the kernel (no user-space buffer), so once {@link #append} returns the line
 * survives the process being killed; {@code fsync} adds a sync to disk. Rotates by size and/or
 * wall-clock interval, and reopens its path on request (after an external logrotate rename).
 */
final class LogFile implements AutoCloseable {
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final Path path;
  private final RotateConfig rotate;
  private final boolean fsync;
  private final Clock clock;
  private final long maxSize;
  private final long intervalMillis;
  private FileChannel channel;
  private long size;
  private long periodStart;

  LogFile(Path path, RotateConfig rotate, boolean fsync, Clock clock) throws IOException {
    this.path = path;
    this.rotate = rotate;
    this.fsync = fsync;
    this.clock = clock;
    this.maxSize = rotate.maxSizeBytes();
    Duration interval = rotate.intervalDuration();
    this.intervalMillis = interval.toMillis();
    open();
  }

  void append(byte[] line) throws IOException {
    if (shouldRotate(line.length)) rotateNow();
    ByteBuffer buf = ByteBuffer.wrap(line);
    while (buf.hasRemaining()) channel.write(buf);
    size += line.length;
    if (fsync) channel.force(false);
  }

  /** Closes and opens the path again, creating a new file if it was renamed away. */
  void reopen() throws IOException {
    channel.close();
    open();
  }

  Path path() {
    return path;
  }

  private void open() throws IOException {
    Files.createDirectories(path.toAbsolutePath().getParent());
    channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    size = channel.size();
    periodStart = period(clock.millis());
  }

  private long period(long millis) {
    return intervalMillis == 0 ? 0 : Math.floorDiv(millis, intervalMillis);
  }

  private boolean shouldRotate(int nextWrite) {
    if (size == 0) return false;
    if (maxSize > 0 && size + nextWrite > maxSize) return true;
    return intervalMillis > 0 && period(clock.millis()) != periodStart;
  }

  private void rotateNow() throws IOException {
    channel.close();
    String base = path.getFileName() + "." + SUFFIX.format(clock.instant());
    Path target = path.resolveSibling(base);
    for (int n = 1; Files.exists(target); n++) target = path.resolveSibling(base + "." + n);
    Files.move(path, target);
    deleteOldRotations();
    open();
  }

  private void deleteOldRotations() throws IOException {
    if (rotate.keep() == 0) return;
    String prefix = path.getFileName() + ".";
    List<Path> rotated = new ArrayList<>();
    try (Stream<Path> files = Files.list(path.toAbsolutePath().getParent())) {
      files.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(rotated::add);
    }
    // names embed a sortable UTC timestamp, so name order is age order
    rotated.sort(null);
    for (int i = 0; i < rotated.size() - rotate.keep(); i++) Files.deleteIfExists(rotated.get(i));
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
