package io.flowsentry.analyzer.alarm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * One append-only log file, owned by the alarm writer thread. Each line is a single write
 * straight to the kernel (no user-space buffer), so once {@link #append} returns the line
 * survives the process being killed; {@code fsync} adds a sync to disk. Rotates by size and/or
 * wall-clock interval, and reopens its path on request (after an external logrotate rename).
 */
final class LogFile implements AutoCloseable {
  private final Path path;
  private final Rotation rotation;
  private final boolean fsync;
  private FileChannel channel;
  private long size;
  private long periodStart;

  LogFile(Path path, RotateConfig rotate, boolean fsync, Clock clock) throws IOException {
    this.path = path;
    this.rotation = new Rotation(rotate, clock);
    this.fsync = fsync;
    open();
  }

  void append(byte[] line) throws IOException {
    if (rotation.due(size, line.length, periodStart)) {
      channel.close();
      rotation.moveAside(path);
      open();
    }
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
    periodStart = rotation.periodNow();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
