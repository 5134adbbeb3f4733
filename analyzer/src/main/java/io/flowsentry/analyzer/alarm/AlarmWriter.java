package io.flowsentry.analyzer.alarm;

import io.flowsentry.analyzer.suppress.SuppressionJournal;
import io.flowsentry.analyzer.suppress.SuppressionKey;
import io.flowsentry.analyzer.delivery.AlarmDelivery;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes alarms to {@code alarms.log}, {@code <policy>.log} and {@code notice.log} on its own
 * thread. Event threads hand alarms over through ONE bounded queue and never block (unless
 * built with {@link Overflow#BLOCK}, for offline replay where losing an alarm would make the
 * output differ from a live run). {@code flowsentry_alarms_total} counts an alarm only after
 * its lines are in all files, so the counter never runs ahead of what survives a {@code kill -9}.
 */
public final class AlarmWriter implements AutoCloseable {
  /** What {@link #submit} does when the queue is full. */
  public enum Overflow { DROP, BLOCK }

  private static final Logger log = LoggerFactory.getLogger(AlarmWriter.class);
  private static final long IDLE_POLL_MILLIS = 200;
  private static final long ERROR_LOG_INTERVAL_MILLIS = 60_000;

  private final Path logDir;
  private final OutputsConfig config;
  private final Clock clock;
  private final Overflow overflow;
  private final AlarmFormat format;
  private final List<AlarmDelivery> deliveries;
  private final MeterRegistry registry;
  private final BlockingQueue<Object> queue;
  private final Counter dropped;
  private final Counter writeErrors;
  private final Map<String, Counter> alarmCounters = new ConcurrentHashMap<>();
  private final AtomicBoolean reopenRequested = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean closing;
  // owned by the writer thread
  private final Map<String, LogFile> files = new HashMap<>();
  private final SuppressionJournal journal;
  private final PendingAlarmFile pending;
  private long lastErrorLogged = Long.MIN_VALUE;
  private long failuresNotLogged;
  private long lastJournalErrorLogged = Long.MIN_VALUE;
  private volatile String failure;

  /** A writer with {@link AlarmFormat#defaults()}: Community ID seed 0, no responder names. */
  public AlarmWriter(OutputsConfig config, Path logDir, Clock clock, Overflow overflow, MeterRegistry registry) {
    this(config, logDir, null, clock, overflow, registry);
  }

  /** @param journalFile where each alarm's key is journaled after its lines are written; null = none */
  public AlarmWriter(OutputsConfig config, Path logDir, Path journalFile, Clock clock, Overflow overflow,
      MeterRegistry registry) {
    this(config, logDir, journalFile, clock, overflow, registry, AlarmFormat.defaults(), List.of());
  }

  /**
   * @param journalFile where each alarm's key is journaled after its lines are written; null = none
   * @param format the site's Community ID seed and responder names for notice.log
   * @param deliveries where each alarm goes too once it is in the files (syslog, webhook); closed by {@link #close()}
   */
  public AlarmWriter(OutputsConfig config, Path logDir, Path journalFile, Clock clock, Overflow overflow,
      MeterRegistry registry, AlarmFormat format, List<AlarmDelivery> deliveries) {
    this.deliveries = List.copyOf(deliveries);
    this.config = config;
    this.logDir = logDir;
    this.clock = clock;
    this.overflow = overflow;
    this.registry = registry;
    this.format = format;
    this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
    this.dropped = Counter.builder("flowsentry.alarm.queue.dropped")
        .description("Alarms dropped because the writer queue was full").register(registry);
    this.writeErrors = Counter.builder("flowsentry.alarm.write.errors")
        .description("Alarms that could not be written to every alarm log").register(registry);
    try {
      // open eagerly so a bad log_dir fails start-up, not the first alarm
      file("alarms.log");
      file("notice.log");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open alarm logs in " + logDir, e);
    }
    try {
      this.journal = journalFile == null ? null : new SuppressionJournal(journalFile);
      this.pending = journalFile == null ? null : new PendingAlarmFile(journalFile.resolveSibling(PendingAlarmFile.FILE_NAME));
      finishInterruptedAlarm();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the suppression journal " + journalFile + " or finish the alarm it was writing", e);
    }
    this.thread = Thread.ofPlatform().name("flowsentry-alarm-writer").daemon(true).unstarted(this::run);
    thread.start();
  }

  /**
   * Queues an alarm; returns false when it was dropped because the queue was full. The responder's
   * name is looked up here, on the analyzing thread, while the passive DNS table holds what it held
   * at the connection's event time: by the time the writer gets to it, a replay may have run far
   * ahead and expired the answer.
   */
  public boolean submit(Alarm alarm) {
    Named named = new Named(alarm, format.respName(alarm.event()));
    if (overflow == Overflow.BLOCK) {
      try {
        queue.put(named);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else if (queue.offer(named)) {
      return true;
    }
    dropped.increment();
    return false;
  }

  /** An alarm and the responder's name at its time (null when none is known). */
  private record Named(Alarm alarm, String respName) {}

  /** Queues a summary of alarms over a policy's cap, waiting for room: it stands for many alarms and is never dropped. */
  public void submitSummary(AlarmSummary summary) throws InterruptedException {
    queue.put(summary);
  }

  /** Asks the writer to close and reopen every file (after logrotate moved them); returns at once. */
  public void reopen() {
    reopenRequested.set(true);
  }

  /** Waits until every alarm submitted before this call is written. */
  public void flush() throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    queue.put(done);
    done.await();
  }

  /**
   * Waits until every alarm submitted before this call is written, and returns the journal's size
   * then: a snapshot taken after this holds every key journaled before it (see
   * {@link #dropJournalBefore}). 0 without a journal.
   */
  public long flushAndMarkJournal() throws InterruptedException {
    JournalMark mark = new JournalMark(new CompletableFuture<>());
    queue.put(mark);
    try {
      return mark.size().get();
    } catch (ExecutionException e) {
      return 0; // the journal could not tell its size: nothing will be dropped from it
    }
  }

  /** Drops the journal's entries before {@code offset}, once a snapshot holds them; asynchronous, in queue order. */
  public void dropJournalBefore(long offset) throws InterruptedException {
    if (journal != null && offset > 0) queue.put(new JournalDrop(offset));
  }

  private record JournalMark(CompletableFuture<Long> size) {}

  private record JournalDrop(long offset) {}

  /** Alarms written so far for {@code policy} and {@code note}, in either mode. */
  public double written(String policy, String note) {
    return written(policy, note, PolicyMode.ENFORCE) + written(policy, note, PolicyMode.SHADOW);
  }

  /** Alarms written so far for {@code policy} and {@code note} while the policy ran in {@code mode}. */
  public double written(String policy, String note, PolicyMode mode) {
    Counter c = alarmCounters.get(key(policy, note, mode));
    return c == null ? 0 : c.count();
  }

  /** Writes what is queued, then closes the files. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    thread.join();
    for (AlarmDelivery d : deliveries) d.close();
  }

  private void run() {
    while (true) {
      Object item;
      try {
        item = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        item = null;
        closing = true;
      }
      if (reopenRequested.getAndSet(false)) {
        clearPending();
        eachFile("reopen", LogFile::reopen);
      }
      if (item instanceof Named n) write(n.alarm(), n.respName());
      else if (item instanceof AlarmSummary summary) write(summary);
      else if (item instanceof CountDownLatch l) l.countDown();
      else if (item instanceof JournalMark m) markJournal(m);
      else if (item instanceof JournalDrop d) dropFromJournal(d.offset());
      else if (closing && queue.isEmpty()) break;
    }
    clearPending();
    eachFile("close", LogFile::close);
    if (journal != null) {
      try {
        pending.close();
        journal.close();
      } catch (IOException e) {
        log.error("cannot close the suppression journal: {}", e.toString());
      }
    }
  }

  private void savePending(Map<String, byte[]> lines, byte[] journalLine) {
    if (pending == null) return;
    try {
      pending.save(lines, journalLine);
    } catch (IOException e) {
      journalError(e);
    }
  }

  /** Every alarm before now is complete: a fresh file after a rotation must not get the last one again. */
  private void clearPending() {
    if (pending == null) return;
    try {
      pending.clear();
    } catch (IOException e) {
      journalError(e);
    }
  }

  private void markJournal(JournalMark m) {
    try {
      m.size().complete(journal == null ? 0 : journal.size());
    } catch (IOException e) {
      m.size().completeExceptionally(e);
    }
  }

  private void dropFromJournal(long offset) {
    try {
      journal.dropBefore(offset);
    } catch (IOException e) {
      log.error("cannot shorten the suppression journal (it keeps growing until the next clean stop): {}", e.toString());
    }
  }

  /**
   * Before anything else reads the journal (the analyzer restores it next): the alarm that
   * {@code kill -9} interrupted gets the lines its files lack, and its key goes to the journal.
   */
  private void finishInterruptedAlarm() throws IOException {
    if (pending == null) return;
    PendingAlarmFile.Unfinished unfinished = pending.unfinished(logDir);
    if (unfinished == null) return;
    for (var missing : unfinished.missingLines().entrySet()) file(missing.getKey()).append(missing.getValue());
    journal.append(unfinished.journalLine());
    pending.clear();
    if (!unfinished.missingLines().isEmpty()) {
      log.warn("finished the alarm the last run was writing when it was killed: appended its line to {}",
          unfinished.missingLines().keySet());
    }
  }

  /**
   * After the alarm's lines, so that a key in the journal (or, once marked durable, in a snapshot)
   * always has its alarm written; the pending file covers a crash in between.
   */
  private void journal(byte[] line) {
    if (journal == null) return;
    try {
      journal.append(line);
    } catch (IOException e) {
      journalError(e);
    }
  }

  private void journalError(IOException e) {
    long now = clock.millis();
    if (now - lastJournalErrorLogged >= ERROR_LOG_INTERVAL_MILLIS) {
      lastJournalErrorLogged = now;
      log.error("cannot journal an alarm's key or save its lines first (after kill -9 it may alarm once more): {}", e.toString());
    }
  }

  private void write(Alarm a, String respName) {
    if (a.shadow()) {
      writeShadow(a, respName); // never a delivery: a shadow policy pages no one
      return;
    }
    writeFiles(a, respName);
    for (AlarmDelivery d : deliveries) d.offer(a); // never blocks: each destination has its own queue
  }

  /**
   * A shadow policy's alarm: its marked line to {@code <policy>.log} only, through the same
   * pending-file and journal steps as any alarm, so a kill -9 neither doubles nor loses it and the
   * restart's replay of the pending file (which holds only this one file's line) cannot put it
   * into alarms.log or notice.log.
   */
  private void writeShadow(Alarm a, String respName) {
    String name = a.policy() + ".log";
    byte[] line = (format.shadowLine(a, respName) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] journalLine = SuppressionJournal.line(a.policy(), SuppressionKey.of(a.event()), a.event().tsMicros());
    savePending(Map.of(name, line), journalLine);
    try {
      file(name).append(line);
    } catch (IOException e) {
      failed(logDir.resolve(name), e);
      return;
    }
    journal(journalLine);
    if (a.sighting() != null) a.sighting().markDurable();
    failure = null;
    alarmCounter(a.policy(), a.alarmName(), a.mode()).increment();
  }

  /**
   * The name is looked up once, so every line of the alarm agrees on it: {@code <policy>.log}
   * and notice.log carry it when known, alarms.log only with {@code alarm_line_names}.
   */
  private void writeFiles(Alarm a, String respName) {
    byte[] named = (format.namedLine(a, respName) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] classic = respName == null || config.alarmLineNames() ? named
        : (format.classicLine(a) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] notice = (format.noticeJson(a, respName) + "\n").getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> lines = new LinkedHashMap<>();
    lines.put("alarms.log", classic);
    lines.put(a.policy() + ".log", named);
    lines.put("notice.log", notice);
    byte[] journalLine = SuppressionJournal.line(a.policy(), SuppressionKey.of(a.event()), a.event().tsMicros());
    savePending(lines, journalLine);
    for (var line : lines.entrySet()) {
      try {
        file(line.getKey()).append(line.getValue());
      } catch (IOException e) {
        failed(logDir.resolve(line.getKey()), e);
        return;
      }
    }
    journal(journalLine);
    if (a.sighting() != null) a.sighting().markDurable();
    failure = null;
    alarmCounter(a.policy(), a.alarmName(), a.mode()).increment();
  }

  /**
   * Makes {@code flowsentry_alarms_total{policy,note,mode}} exist at 0 before the policy's first
   * alarm, for the mode it runs in (a reload to the other mode adds that mode's series; the old
   * ones keep their counts, as counters do).
   */
  public void expectAlarms(String policy, List<String> alarmNames, PolicyMode mode) {
    alarmNames.forEach(name -> alarmCounter(policy, name, mode));
  }

  /** {@link #expectAlarms(String, List, PolicyMode)} for an enforcing policy. */
  public void expectAlarms(String policy, List<String> alarmNames) {
    expectAlarms(policy, alarmNames, PolicyMode.ENFORCE);
  }

  // the mode is a label, not part of the name: dashboards and alert rules keep working and
  // filter shadow alarms out with mode!="shadow"
  private Counter alarmCounter(String policy, String alarmName, PolicyMode mode) {
    return alarmCounters.computeIfAbsent(key(policy, alarmName, mode), k -> Counter.builder("flowsentry.alarms")
        .description("Alarms written to the alarm logs (mode=\"shadow\": only to the policy's own log)")
        .tag("policy", policy).tag("note", alarmName).tag("mode", mode.label()).register(registry));
  }

  private static String key(String policy, String alarmName, PolicyMode mode) {
    return policy + '\0' + alarmName + '\0' + mode.label();
  }

  private void write(AlarmSummary summary) {
    if (summary.mode() == PolicyMode.SHADOW) {
      String name = summary.policy() + ".log";
      try {
        file(name).append((format.shadowLine(summary) + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        failed(logDir.resolve(name), e);
      }
      return;
    }
    byte[] classic = (format.classicLine(summary) + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] notice = (format.noticeJson(summary) + "\n").getBytes(StandardCharsets.UTF_8);
    String name = "alarms.log";
    try {
      file(name).append(classic);
      name = summary.policy() + ".log";
      file(name).append(classic);
      name = "notice.log";
      file(name).append(notice);
    } catch (IOException e) {
      failed(logDir.resolve(name), e);
    }
  }

  /** Counted, said in the log (once a minute, with how many failed since) and shown on /healthz until an alarm is written again. */
  private void failed(Path file, IOException e) {
    writeErrors.increment();
    String reason = e instanceof FileSystemException fse // its message is mostly the path again
        ? (fse.getReason() != null ? fse.getReason() : fse.getClass().getSimpleName())
        : String.valueOf(e.getMessage());
    failure = "cannot write alarms to " + file + ": " + reason;
    long now = clock.millis();
    if (lastErrorLogged == Long.MIN_VALUE || now - lastErrorLogged >= ERROR_LOG_INTERVAL_MILLIS) {
      String since = failuresNotLogged > 0 ? " (" + failuresNotLogged + " more alarms not written since the last report)" : "";
      log.error("{}; the alarm is counted in flowsentry_alarm_write_errors_total and lost{}", failure, since);
      lastErrorLogged = now;
      failuresNotLogged = 0;
    } else {
      failuresNotLogged++;
    }
  }

  /** Why the last alarm could not be written, while no alarm has been written since; empty when writing works. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** Whether the writer thread is still taking alarms (it ends only on {@link #close()}). */
  public boolean isRunning() {
    return thread.isAlive() && !closing;
  }

  private LogFile file(String name) throws IOException {
    LogFile f = files.get(name);
    if (f == null) {
      f = new LogFile(logDir.resolve(name), config.rotate(), config.fsync(), clock);
      files.put(name, f);
    }
    return f;
  }

  private interface FileAction {
    void apply(LogFile f) throws IOException;
  }

  private void eachFile(String what, FileAction action) {
    for (LogFile f : files.values()) {
      try {
        action.apply(f);
      } catch (IOException e) {
        log.error("cannot {} {}: {}", what, f.path(), e.toString());
      }
    }
  }
}
