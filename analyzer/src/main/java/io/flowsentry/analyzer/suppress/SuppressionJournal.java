package io.flowsentry.analyzer.suppress;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The alarm keys written since the last suppression snapshot, one snapshot entry line each,
 * appended by the alarm writer thread just before the alarm's own lines. The snapshot is saved
 * about once a second, so after {@code kill -9} it lacks the keys of the last second's alarms,
 * and the lines that raised them are read again (they come after the tail checkpoint): restored
 * together with the journal, those keys are suppressed and no alarm is written twice.
 *
 * <p>After each snapshot the writer drops what the snapshot now holds ({@link #dropBefore}),
 * so the journal stays about a second long. Owned by the writer thread.
 */
public final class SuppressionJournal implements AutoCloseable {
  public static final String FILE_NAME = "suppression.journal";

  private final Path file;
  private FileChannel channel;

  public SuppressionJournal(Path file) throws IOException {
    this.file = file;
    Files.createDirectories(file.toAbsolutePath().getParent());
    open();
  }

  private void open() throws IOException {
    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** The journal line of one alarm's key. */
  public static byte[] line(String policy, SuppressionKey key, long lastSeenMicros) {
    return SuppressionSnapshot.entryLine(policy, key, lastSeenMicros).getBytes(StandardCharsets.UTF_8);
  }

  /** One write straight to the kernel, like an alarm line: it survives the process being killed. */
  public void append(byte[] line) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(line);
    while (buf.hasRemaining()) channel.write(buf);
  }

  /** Bytes written so far: the keys before this offset are in the table when a snapshot is taken after it. */
  public long size() throws IOException {
    return channel.size();
  }

  /** Keeps only what was appended from {@code offset} on (written to a copy, renamed over the journal). */
  public void dropBefore(long offset) throws IOException {
    long size = channel.size();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      long at = Math.min(offset, size);
      while (at < size) at += in.transferTo(at, size - at, out);
    }
    channel.close();
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    open();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
