package io.flowsentry.collector.zeek;

import io.flowsentry.collector.zeek.tail.Checkpoint.FilePosition;
import io.flowsentry.collector.zeek.tail.FileKey;
import io.flowsentry.collector.zeek.tail.OpenLog;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one path through rotation: the file at the path now ({@code current}) and files
 * that were renamed away or replaced and are being read to their end ({@code draining}).
 * <ul>
 *   <li>rename or replacement (another device/inode at the path): read the old file to its end
 *       now, keep it open and keep reading it until it stays quiet for two polls, then switch
 *       to the new file from its beginning;
 *   <li>the path disappears: the file is finished the same way; a new file there is read from
 *       its beginning;
 *   <li>truncation (size below what was read) or a rewrite in place (same inode, different
 *       fingerprint): restart the file from offset 0.
 * </ul>
 * Not thread-safe: the owning {@link ZeekTailer} calls it from its one thread.
 */
final class PathFollower {
  private static final Logger LOG = LoggerFactory.getLogger(PathFollower.class);
  /** Rotated files still being finished; more than this and the oldest is finished at once. */
  private static final int MAX_DRAINING = 8;
  private static final int QUIET_POLLS_TO_FINISH = 2;

  /** What the follower needs from its tailer. */
  interface Context {
    OpenLog open(Path path) throws IOException;

    /** Reads what {@code log} has now (in chunks, with counters and checkpoints between). */
    void drain(OpenLog log) throws IOException;

    /** The live file was truncated or rewritten in place while being read. */
    void truncated();

    /** {@code log} was read to its end and is closed: its fingerprint joins the done list. */
    void finished(OpenLog log);
  }

  private final Path path;
  private final Context context;
  private final Deque<OpenLog> draining = new ArrayDeque<>();
  private OpenLog current;
  private long lastSize;

  PathFollower(Path path, Context context) {
    this.path = path;
    this.context = context;
  }

  /** Begins with {@code log} (opened by the tailer at start-up with its resume offset). */
  void adopt(OpenLog log) {
    current = log;
  }

  Path path() {
    return path;
  }

  /** One pass: finish rotated files, notice rotation/truncation, read what is new. */
  void poll() throws IOException {
    for (OpenLog d : List.copyOf(draining)) {
      context.drain(d);
      if (d.quietPolls() >= QUIET_POLLS_TO_FINISH) finish(d);
    }
    FileKey.Stat stat = statOrNull();
    if (current != null) {
      if (stat == null || !stat.key().equals(current.key())) {
        context.drain(current);
        LOG.info("zeek {}: {}, finishing the old file", path, stat == null ? "file gone (rotated)" : "new file at the path (rotated or replaced)");
        draining.addLast(current);
        current = null;
        if (draining.size() > MAX_DRAINING) finish(draining.peekFirst());
      } else if (stat.size() < current.position()) {
        // what was appended after the last read and before the truncation is gone, and how much cannot be known
        long unfinished = current.position() - current.lines().processedOffset();
        LOG.warn("zeek {}: truncated to {} bytes while being read: {} bytes had been read, lines written after them are lost{};"
            + " reading it again from the start", path, stat.size(), current.position(),
            unfinished > 0 ? ", and so is an unfinished last line of " + unfinished + " bytes" : "");
        context.truncated();
        if (current.hasPartialLine()) current.lines().incompleteLine();
        current.restart();
      } else if (stat.size() != lastSize && current.contentReplaced()) {
        LOG.warn("zeek {}: rewritten in place (its header changed) after {} bytes had been read, reading it again from the start",
            path, current.position());
        context.truncated();
        current.restart();
      }
    }
    if (current == null && stat != null) {
      current = context.open(path);
      current.startAt(0);
    }
    if (current != null) {
      context.drain(current);
      lastSize = stat == null ? lastSize : stat.size();
    }
  }

  private FileKey.Stat statOrNull() throws IOException {
    try {
      return FileKey.stat(path);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void finish(OpenLog d) throws IOException {
    draining.remove(d);
    if (d.hasPartialLine()) d.lines().incompleteLine();
    d.close();
    context.finished(d);
  }

  /** Positions of every open file, for the checkpoint: rotated ones first. */
  void positions(Consumer<FilePosition> out) {
    draining.forEach(d -> out.accept(d.checkpointPosition()));
    if (current != null) out.accept(current.checkpointPosition());
  }

  List<OpenLog> openLogs() {
    List<OpenLog> all = new ArrayList<>(draining);
    if (current != null) all.add(current);
    return all;
  }

  boolean isIdle() {
    return current == null && draining.isEmpty();
  }

  /** Closes every file without finishing it (shutdown: the checkpoint keeps the positions). */
  void closeAll() {
    for (OpenLog log : openLogs()) {
      try {
        log.close();
      } catch (IOException e) {
        LOG.warn("zeek {}: closing {}: {}", path, log.followedAs(), e.getMessage());
      }
    }
    draining.clear();
    current = null;
  }
}
