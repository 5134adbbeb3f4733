package io.flowsentry.collector.zeek;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.parse.ZeekLineParser;
import io.flowsentry.collector.zeek.tail.BadLineLog;
import io.flowsentry.collector.zeek.tail.Checkpoint;
import io.flowsentry.collector.zeek.tail.Checkpoint.FilePosition;
import io.flowsentry.collector.zeek.tail.CheckpointStore;
import io.flowsentry.collector.zeek.tail.FileIdentity;
import io.flowsentry.collector.zeek.tail.FileKey;
import io.flowsentry.collector.zeek.tail.LogLines;
import io.flowsentry.collector.zeek.tail.OpenLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the conn.log files of one {@code inputs.zeek} entry on its own virtual thread (never
 * a Netty thread), handing every line's event to the {@link EventHandler} exactly once across
 * rotation, truncation, replacement and clean restarts; after a crash at most the lines since
 * the last checkpoint are handed over again.
 *
 * <p>Start-up, per file the path (or glob) matches: positions from the checkpoint that belong
 * to files no longer at the path (rotated while flowsentry was down) are looked up among the
 * archives beside it ({@code conn.*.log}, {@code conn.*.log.gz}: same device/inode or same
 * fingerprint, compressed or not) and read on from their offset; with {@code backfill} every
 * archive not yet read is read too, oldest first. Then the live file resumes at its checkpoint
 * offset, or starts at {@code start_at} when there is no checkpoint (a file that appears later
 * is always read from its beginning).
 *
 * <p>Checkpoints (identity and offset of the last line whose event {@link EventHandler#onEvent}
 * returned) are written every second while lines flow and on {@link #close()}, each after
 * {@link EventHandler#persist()} made the state those lines caused durable.
 */
public final class ZeekTailer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZeekTailer.class);
  static final long CHECKPOINT_INTERVAL_MILLIS = 1000;
  /** Bytes read per step; counters, lag and checkpoints are updated between steps. */
  private static final int CHUNK = 1 << 20;
  /** Files one glob may match; more are reported and not followed. */
  static final int MAX_FILES = 1024;

  private final ZeekInputConfig config;
  private final EventHandler handler;
  private final Clock clock;
  private final ZeekLineParser.Factory parsers;
  private final CheckpointStore store;
  private final ZeekMetrics metrics;
  private final BadLineLog badLineLog;
  private final Map<Path, PathFollower> followers = new LinkedHashMap<>();
  private final List<FilePosition> pending = new ArrayList<>();
  private final List<String> done = new ArrayList<>();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final PathFollower.Context context = new FollowerContext();
  private FilePosition archiveInProgress;
  private Checkpoint lastSaved;
  private long lastCheckpointMillis;
  private long lastErrorLogMillis = Long.MIN_VALUE;
  private boolean startedUp;
  /** Whether the stored checkpoint was read: only then may a new one replace it. */
  private boolean checkpointLoaded;
  private boolean closed;
  private Thread thread;

  public ZeekTailer(ZeekInputConfig config, Path stateDir, EventHandler handler, MeterRegistry registry, Clock clock) {
    this(config, stateDir, handler, registry, clock, false);
  }

  /** @param keepRaw whether events carry every column in {@code raw} (for the events sink with {@code raw: true}) */
  public ZeekTailer(ZeekInputConfig config, Path stateDir, EventHandler handler, MeterRegistry registry, Clock clock,
      boolean keepRaw) {
    this(config, stateDir, handler, registry, clock, ZeekLineParser.connLog(keepRaw));
  }

  /**
   * A tailer of any Zeek log: {@code parsers} reads its lines (conn.log into events for
   * {@code handler}; dns.log into the passive DNS table, leaving {@code handler} unused).
   */
  public ZeekTailer(ZeekInputConfig config, Path stateDir, EventHandler handler, MeterRegistry registry, Clock clock,
      ZeekLineParser.Factory parsers) {
    List<String> problems = config.validate("inputs.zeek");
    if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
    this.config = config;
    this.handler = Objects.requireNonNull(handler, "handler");
    this.clock = clock;
    this.parsers = parsers;
    this.store = new CheckpointStore(stateDir);
    this.metrics = new ZeekMetrics(registry, config.path());
    this.badLineLog = new BadLineLog(clock);
  }

  /** Starts following on a virtual thread named after the path. */
  public synchronized void start() {
    if (thread != null || closed) throw new IllegalStateException("already started or closed");
    thread = Thread.ofVirtual().name("zeek-tail " + config.path()).start(this::run);
  }

  private void run() {
    long pollMillis = config.pollIntervalDuration().toMillis();
    try {
      do {
        try {
          pollOnce();
        } catch (IOException | RuntimeException e) {
          // the position is kept: the next poll retries from the last line handed over
          logError(e);
        }
      } while (!stop.await(pollMillis, TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void logError(Exception e) {
    long now = clock.millis();
    if (lastErrorLogMillis == Long.MIN_VALUE || now - lastErrorLogMillis >= 60_000) {
      lastErrorLogMillis = now;
      LOG.error("zeek {}: {}; retrying every poll", config.path(), e.toString());
    }
  }

  /**
   * One pass over every file: the first pass recovers from the checkpoint (and backfills);
   * later passes notice new, rotated and truncated files and read what was appended. The
   * started thread calls this every poll interval; tests may call it directly instead of
   * {@link #start()}.
   */
  public synchronized void pollOnce() throws IOException {
    if (closed) return;
    if (!startedUp) {
      startUp();
    } else if (config.isGlob()) {
      addNewMatches();
    }
    for (PathFollower f : List.copyOf(followers.values())) {
      f.poll();
      if (config.isGlob() && f.isIdle() && !Files.exists(f.path())) followers.remove(f.path());
    }
    metrics.lagMicros(0); // everything written when the pass began has been read
    metrics.filesFollowed(followers.values().stream().mapToInt(f -> f.openLogs().size()).sum());
    maybeCheckpoint();
  }

  private void startUp() throws IOException {
    followers.values().forEach(PathFollower::closeAll); // a start-up that failed half-way starts again
    followers.clear();
    pending.clear();
    done.clear();
    var loaded = store.load(config.path());
    checkpointLoaded = true;
    loaded.ifPresent(c -> {
      pending.addAll(c.files());
      done.addAll(c.done());
    });
    for (Path p : matches()) {
      startPath(p, loaded.isPresent());
    }
    if (!config.isGlob() && !followers.containsKey(Path.of(config.path()))) {
      followers.put(Path.of(config.path()), new PathFollower(Path.of(config.path()), context));
    }
    for (FilePosition lost : pending) {
      LOG.warn("zeek {}: {} (at offset {}) was rotated away and is not beside it any more; lines after that offset may be missing",
          config.path(), lost.file(), lost.offset());
    }
    pending.clear();
    startedUp = true;
  }

  private void startPath(Path p, boolean hadCheckpoint) throws IOException {
    List<FilePosition> mine = pending.stream().filter(pos -> pos.file().equals(p.toString())).toList();
    OpenLog live = Files.isRegularFile(p) ? context.open(p) : null;
    FilePosition liveAt = live == null ? null : mine.stream().filter(m -> m.matches(live.identity())).findFirst().orElse(null);
    if (live != null && liveAt == null && done.contains(live.identity().fingerprint())) {
      live.close(); // read to its end before, under another name (a glob matching rotated files)
      return;
    }
    try {
      for (Path archive : archivesBeside(p)) {
        readArchiveIfDue(archive, live, mine.stream().filter(m -> m != liveAt).toList());
      }
    } catch (IOException | RuntimeException e) {
      if (live != null) live.close();
      throw e;
    }
    PathFollower f = new PathFollower(p, context);
    if (live != null) {
      boolean fromStart = hadCheckpoint || config.startAtBeginning() || config.backfill();
      long resume = liveAt != null ? resumeOffset(liveAt, live) : fromStart ? 0 : live.size();
      if (liveAt == null) warnIfRewrittenWhileStopped(mine, live);
      live.startAt(resume);
      pending.remove(liveAt);
      f.adopt(live);
    }
    followers.put(p, f);
  }

  /**
   * The checkpoint offset, unless the file is now shorter: then it was truncated (copytruncate)
   * and written again while flowsentry was down, and everything in it is new (Filebeat and Fluent
   * Bit do the same). Resuming at the old offset would read nothing until the file outgrew it.
   */
  private long resumeOffset(FilePosition at, OpenLog live) throws IOException {
    long size = live.size();
    if (at.offset() <= size) return at.offset();
    LOG.warn("zeek {}: checkpoint offset {} is past the end of {} ({} bytes): truncated while stopped, reading it from the beginning",
        config.path(), at.offset(), live.followedAs(), size);
    metrics.truncated();
    return 0;
  }

  /** A checkpoint for this very inode whose fingerprint no longer matches: the file was rewritten in place while down. */
  private void warnIfRewrittenWhileStopped(List<FilePosition> mine, OpenLog live) {
    FileKey key = live.key();
    mine.stream().filter(m -> pending.contains(m) && m.dev() == key.dev() && m.ino() == key.ino()).findFirst().ifPresent(m -> {
      LOG.warn("zeek {}: {} no longer starts as it did at offset {} of the checkpoint (truncated or replaced while stopped),"
          + " reading it from the beginning", config.path(), live.followedAs(), m.offset());
      metrics.truncated();
      pending.remove(m);
    });
  }

  /** Reads a rotated archive if a checkpoint position belongs to it, or if backfilling and it is new. */
  private void readArchiveIfDue(Path archive, OpenLog live, List<FilePosition> rotated) throws IOException {
    String fp = ZeekLogReader.fingerprint(archive);
    if (fp == null || live != null && fp.equals(live.identity().fingerprint())) return;
    FileIdentity id = new FileIdentity(isGzip(archive) ? null : FileKey.stat(archive).key(), fp);
    FilePosition at = rotated.stream().filter(m -> pending.contains(m) && m.matches(id)).findFirst().orElse(null);
    if (at == null && (!config.backfill() || done.contains(fp))) return;
    long offset = at == null ? 0 : at.offset();
    LOG.info("zeek {}: reading rotated {} from offset {}", config.path(), archive, offset);
    pending.remove(at);
    long dev = id.key() == null ? -1 : id.key().dev();
    long ino = id.key() == null ? -1 : id.key().ino();
    LogLines lines = new LogLines(archive.toString(), handler, badLineLog::report, offset, parsers);
    ZeekLogReader.read(archive, lines, l -> {
      metrics.count(l);
      if (l.lastLoggedMicros() >= 0) metrics.lagMicros(clock.millis() * 1000 - l.lastLoggedMicros());
      archiveInProgress = new FilePosition(archive.toString(), dev, ino, fp, l.processedOffset());
      maybeCheckpoint();
    });
    archiveInProgress = null;
    markDone(fp);
  }

  private static boolean isGzip(Path p) {
    return p.getFileName().toString().endsWith(".gz");
  }

  /** Rotated archives beside {@code live} ({@code conn.log} → {@code conn.*.log}, {@code conn.*.log.gz}), oldest first. */
  static List<Path> archivesBeside(Path live) throws IOException {
    Path dir = live.toAbsolutePath().getParent();
    String name = live.getFileName().toString();
    String stem = name.endsWith(".log") ? name.substring(0, name.length() - 4) : name;
    if (dir == null || !Files.isDirectory(dir)) return List.of();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> {
            String n = p.getFileName().toString();
            return n.startsWith(stem + ".") && (n.endsWith(".log") || n.endsWith(".log.gz")) && !n.equals(name)
                && Files.isRegularFile(p);
          })
          .sorted(Comparator.comparing(ZeekTailer::modified).thenComparing(p -> p.getFileName().toString()))
          .limit(MAX_FILES)
          .toList();
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The files the configured path or glob matches now, sorted by name. */
  List<Path> matches() throws IOException {
    if (!config.isGlob()) {
      Path p = Path.of(config.path());
      return Files.isRegularFile(p) ? List.of(p) : List.of();
    }
    Path glob = Path.of(config.path()).toAbsolutePath();
    Path base = glob.getRoot();
    int depth = 0;
    for (Path part : glob) {
      if (depth > 0 || part.toString().chars().anyMatch(c -> "*?[{".indexOf(c) >= 0)) {
        depth++;
      } else {
        base = base.resolve(part);
      }
    }
    if (!Files.isDirectory(base)) return List.of();
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    try (Stream<Path> s = Files.find(base, depth, (p, a) -> a.isRegularFile() && matcher.matches(p))) {
      List<Path> all = s.sorted().toList();
      if (all.size() > MAX_FILES) {
        LOG.warn("zeek {}: {} files match, following the first {}", config.path(), all.size(), MAX_FILES);
      }
      return all.subList(0, Math.min(all.size(), MAX_FILES));
    }
  }

  private void addNewMatches() throws IOException {
    for (Path p : matches()) {
      if (followers.containsKey(p) || alreadyRead(p)) continue;
      PathFollower f = new PathFollower(p, context);
      followers.put(p, f);
    }
  }

  /**
   * Whether the file at {@code p} is being or was read under another name: a rotated file the
   * glob also matches ({@code conn*.log}).
   */
  private boolean alreadyRead(Path p) throws IOException {
    try {
      FileKey key = FileKey.stat(p).key();
      if (followers.values().stream().flatMap(f -> f.openLogs().stream()).anyMatch(l -> l.key().equals(key))) {
        return true;
      }
      return done.contains(ZeekLogReader.fingerprint(p));
    } catch (NoSuchFileException e) {
      return true; // gone between listing and looking: nothing to follow
    }
  }

  private void markDone(String fingerprint) {
    if (fingerprint == null || done.contains(fingerprint)) return;
    done.add(fingerprint);
    if (done.size() > Checkpoint.MAX_DONE) done.removeFirst();
  }

  private void maybeCheckpoint() {
    if (clock.millis() - lastCheckpointMillis >= CHECKPOINT_INTERVAL_MILLIS) {
      saveCheckpoint();
    }
  }

  private void saveCheckpoint() {
    if (!checkpointLoaded) return;
    List<FilePosition> files = new ArrayList<>(pending);
    if (archiveInProgress != null) files.add(archiveInProgress);
    followers.values().forEach(f -> f.positions(files::add));
    Checkpoint c = new Checkpoint(config.path(), files, done);
    lastCheckpointMillis = clock.millis();
    if (c.equals(lastSaved)) return;
    try {
      // alarms and suppression first: after a crash the lines this checkpoint covers are not read
      // again, and the lines after it are, so no line may reach the checkpoint before its state does
      handler.persist();
      store.save(c);
      lastSaved = c;
    } catch (IOException e) {
      logError(e);
    }
  }

  /** The configured path or glob. */
  public String path() {
    return config.path();
  }

  /** Whether the following thread is alive (for /healthz). */
  public synchronized boolean isRunning() {
    return thread != null && thread.isAlive() && !closed;
  }

  /** Stops the thread, writes the final checkpoint and closes every file. */
  @Override
  public void close() {
    stopThread();
    synchronized (this) {
      if (closed) return;
      saveCheckpoint();
      closeFiles();
    }
  }

  /** Stops as if the process were killed: no final checkpoint (tests of crash recovery). */
  void abandon() {
    stopThread();
    synchronized (this) {
      closeFiles();
    }
  }

  private void stopThread() {
    stop.countDown();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void closeFiles() {
    closed = true;
    followers.values().forEach(PathFollower::closeAll);
    followers.clear();
    metrics.filesFollowed(0);
  }

  private final class FollowerContext implements PathFollower.Context {
    @Override
    public OpenLog open(Path path) throws IOException {
      return OpenLog.open(path, handler, badLineLog::report, ZeekLogReader.MAX_LINE_LENGTH, parsers);
    }

    @Override
    public void drain(OpenLog log) throws IOException {
      long n;
      do {
        n = log.readAvailable(CHUNK);
        metrics.count(log.lines());
        if (n == CHUNK && log.lines().lastLoggedMicros() >= 0) {
          metrics.lagMicros(clock.millis() * 1000 - log.lines().lastLoggedMicros());
        }
        maybeCheckpoint();
      } while (n == CHUNK);
    }

    @Override
    public void truncated() {
      metrics.truncated();
    }

    @Override
    public void finished(OpenLog log) {
      markDone(log.identity().fingerprint());
    }
  }
}
