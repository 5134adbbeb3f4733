package io.flowsentry.analyzer.core;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.suppress.EventTimeTicker;
import io.flowsentry.analyzer.suppress.SuppressionJournal;
import io.flowsentry.analyzer.suppress.SuppressionKey;
import io.flowsentry.analyzer.suppress.SuppressionSnapshot;
import io.flowsentry.analyzer.suppress.SuppressionTable;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events → every policy → suppression → alarm writer. Called concurrently by every source
 * thread; the path takes no lock (policies are an immutable array behind a volatile field,
 * suppression is Caffeine, counters are adders) and the only hand-off is the writer's bounded
 * queue, used for the rare alarm.
 *
 * <p>Every policy needs an originator inside its restricted networks, so a flow with neither
 * address in any of them cannot alarm: {@link #wants} says so, and sources only count such flows
 * ({@link #onSkipped}) instead of building and analyzing their events. Counts and the event
 * clock come out as if each had been analyzed.
 */
public final class Analyzer implements EventHandler, AutoCloseable {

  /** A policy with the state that outlives configuration reloads under the same name. */
  private record Binding(RestrictedOutgoingPolicy policy, PolicyState state) {}

  /** The policies in force and the union of their restricted networks, swapped as one. */
  private record Bindings(Binding[] all, PrefixSet originators) {
    static Bindings of(Binding[] all) {
      List<Cidr> networks = new ArrayList<>();
      for (Binding b : all) networks.addAll(b.policy.restrictedNetworks().blocks());
      return new Bindings(all, PrefixSet.of(networks));
    }
  }

  private static final class PolicyState {
    final SuppressionTable table;
    final AlarmRateCap cap;
    final LongAdder suppressed = new LongAdder();
    final LongAdder alarms = new LongAdder();
    final LongAdder summarized = new LongAdder();
    final List<Meter> meters = new ArrayList<>();

    PolicyState(SuppressionTable table, AlarmRateCap cap) {
      this.table = table;
      this.cap = cap;
    }
  }

  private final EventTimeTicker ticker = new EventTimeTicker();
  private final AlarmWriter writer;
  private final Path snapshotFile;
  private final Path journalFile;
  private final MeterRegistry registry;
  // adders exported through FunctionCounters: one cheap increment per event, no Micrometer lookup
  private final LongAdder[] eventsBySource;
  private final LongAdder dropped = new LongAdder();
  /** Events that changed suppression state (a first sighting or a renewed one): what a snapshot must follow. */
  private final LongAdder suppressionChanges = new LongAdder();
  private long persistedChanges;
  private boolean closed;
  private volatile Bindings bindings;

  /**
   * @param stateDir where the suppression snapshot (and the journal of the alarms after it) is
   *     restored from now and saved to by {@link #persist()} and {@link #close()}; null = no
   *     persistence (tests, replay without state). The writer must journal to the same directory.
   */
  public Analyzer(List<RestrictedOutgoingPolicy> policies, AlarmWriter writer, Path stateDir, MeterRegistry registry) {
    this.writer = writer;
    this.registry = registry;
    this.snapshotFile = stateDir == null ? null : stateDir.resolve(SuppressionSnapshot.FILE_NAME);
    this.journalFile = stateDir == null ? null : stateDir.resolve(SuppressionJournal.FILE_NAME);
    EventSource[] sources = EventSource.values();
    eventsBySource = new LongAdder[sources.length];
    for (EventSource s : sources) {
      LongAdder adder = new LongAdder();
      eventsBySource[s.ordinal()] = adder;
      FunctionCounter.builder("flowsentry.events", adder, LongAdder::doubleValue)
          .description("Connection events analyzed").tag("source", s.label()).register(registry);
    }
    bindings = Bindings.of(bind(policies, Map.of()));
    if (snapshotFile != null) SuppressionSnapshot.restore(snapshotFile, journalFile, ticker, tables());
  }

  @Override
  public void onEvent(ConnectionEvent e) {
    eventsBySource[e.source().ordinal()].increment();
    long clock = ticker.advanceTo(e.tsMicros());
    // the event's own time (SuppressionTable); the clock instead only when the ticker refused a timestamp far ahead of the wall clock
    long at = Math.min(e.tsMicros(), clock);
    SuppressionKey key = null;
    for (Binding b : bindings.all) {
      if (!b.policy.alarms(e)) continue;
      if (key == null) {
        key = SuppressionKey.of(e);
        suppressionChanges.increment();
      }
      PolicyState s = b.state;
      SuppressionTable.Sighting sighting = s.table.newSighting(key, at);
      if (sighting == null) {
        s.suppressed.increment();
        continue;
      }
      if (!s.cap.admit(ticker.nowMicros())) {
        s.summarized.increment();
        continue;
      }
      RestrictedOutgoingPolicy p = b.policy;
      Alarm alarm = new Alarm(p.name(), p.noteStyle().alarmName(e.proto()), p.noteStyle().noticeNote(e.proto()),
          e, p.suppressFor(), sighting, p.mode());
      if (writer.submit(alarm)) s.alarms.increment();
      else dropped.increment();
    }
  }

  /** False when neither address is in any policy's restricted networks: no event between them can alarm. */
  @Override
  public boolean wants(IpAddr a, IpAddr b) {
    return wants(a.hi(), a.lo(), a.v6(), b.hi(), b.lo(), b.v6());
  }

  /** {@link #wants(IpAddr, IpAddr)} as the NetFlow pipeline asks it for every record: nothing allocated. */
  @Override
  public boolean wants(long aHi, long aLo, boolean aV6, long bHi, long bLo, boolean bV6) {
    PrefixSet originators = bindings.originators;
    return originators.contains(aHi, aLo, aV6) || originators.contains(bHi, bLo, bV6);
  }

  @Override
  public void onSkipped(EventSource source, int count, long newestTsMicros) {
    eventsBySource[source.ordinal()].add(count);
    ticker.advanceTo(newestTsMicros);
  }

  /**
   * Swaps in a reloaded set of policies. A policy whose name persists keeps its remembered
   * keys (its table takes the new suppress_for and size bound); state of removed policies is
   * dropped with their metrics.
   */
  public synchronized void update(List<RestrictedOutgoingPolicy> policies) {
    Map<String, PolicyState> old = new HashMap<>();
    for (Binding b : bindings.all) old.put(b.policy.name(), b.state);
    Binding[] next = bind(policies, old);
    Set<String> kept = new HashSet<>();
    for (Binding b : next) kept.add(b.policy.name());
    bindings = Bindings.of(next);
    old.forEach((name, s) -> {
      if (!kept.contains(name)) s.meters.forEach(registry::remove);
    });
  }

  private Binding[] bind(List<RestrictedOutgoingPolicy> policies, Map<String, PolicyState> old) {
    List<Binding> out = new ArrayList<>();
    for (RestrictedOutgoingPolicy p : policies) {
      PolicyState s = old.get(p.name());
      if (s == null) {
        s = new PolicyState(new SuppressionTable(p.suppressFor(), p.maxSuppressionEntries(), ticker),
            new AlarmRateCap(p.maxAlarmsPerMinute()));
        s.meters.add(FunctionCounter.builder("flowsentry.alarms.summarized", s.summarized, LongAdder::doubleValue)
            .description("Alarms over max_alarms_per_minute: counted and summarized, not written one by one")
            .tag("policy", p.name()).register(registry));
        s.meters.add(FunctionCounter.builder("flowsentry.suppressed", s.suppressed, LongAdder::doubleValue)
            .description("Events inside a suppression window").tag("policy", p.name()).register(registry));
        s.meters.add(Gauge.builder("flowsentry.suppression.entries", s.table, SuppressionTable::size)
            .description("Remembered alarm keys").tag("policy", p.name()).register(registry));
      } else {
        s.table.reconfigure(p.suppressFor(), p.maxSuppressionEntries());
        s.cap.reconfigure(p.maxAlarmsPerMinute());
      }
      writer.expectAlarms(p.name(), p.noteStyle().alarmNames(), p.mode()); // a reload may change the note style or mode
      out.add(new Binding(p, s));
    }
    return out.toArray(Binding[]::new);
  }

  private Map<String, SuppressionTable> tables() {
    Map<String, SuppressionTable> tables = new LinkedHashMap<>();
    for (Binding b : bindings.all) tables.put(b.policy.name(), b.state.table);
    return tables;
  }

  /** One policy's suppression of a key: when it was last seen and when its quiet time ends (event time, epoch µs). */
  public record Suppressed(String policy, long lastSeenMicros, long untilMicros) {}

  /**
   * The policies (in force now) that remember {@code key}, read-only: asking changes no timer
   * and no count. Safe from any thread, as the event path's tables are.
   */
  public List<Suppressed> suppression(SuppressionKey key) {
    List<Suppressed> out = new ArrayList<>();
    for (Binding b : bindings.all) {
      var last = b.state.table.lastSeenMicros(key);
      if (last.isEmpty()) continue;
      long forMicros = b.state.table.suppressFor().toNanos() / 1000;
      out.add(new Suppressed(b.policy.name(), last.getAsLong(), last.getAsLong() + forMicros));
    }
    return out;
  }

  /** The event-time clock in epoch microseconds ({@link Long#MIN_VALUE} before any event). */
  public long eventClockMicros() {
    return ticker.nowMicros();
  }

  /** Counts so far; {@code badLines} is what the caller could not turn into events. */
  public ReplaySummary summary(long badLines) {
    Map<String, Long> alarms = new LinkedHashMap<>();
    Map<String, Long> suppressed = new LinkedHashMap<>();
    for (Binding b : bindings.all) {
      alarms.put(b.policy.name(), b.state.alarms.sum());
      suppressed.put(b.policy.name(), b.state.suppressed.sum());
    }
    long events = 0;
    for (LongAdder a : eventsBySource) events += a.sum();
    return new ReplaySummary(events, alarms, suppressed, dropped.sum(), badLines);
  }

  /** What keeps alarms from reaching their files now, for /healthz: empty when they are written. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (!writer.isRunning()) problems.add("alarm writer: stopped");
    writer.failure().ifPresent(problems::add);
    return problems;
  }

  /** Asks the writer to reopen its files (SIGHUP after logrotate). */
  public void reopen() {
    writer.reopen();
  }

  /** Waits until every alarm raised so far is in the files. */
  public void flush() throws InterruptedException {
    writer.flush();
  }

  /**
   * Writes the alarms raised so far, then saves the suppression snapshot, when any event changed
   * suppression state since the last save; without a state directory only the alarms. Sources
   * call it before their checkpoints, the daemon also every second for the NetFlow inputs.
   */
  @Override
  public synchronized void persist() throws IOException {
    long changes = suppressionChanges.sum(); // read first: a change after it is not known to be in this save
    if (closed) return;
    try {
      submitSummaries(false);
      if (changes == persistedChanges) return;
      long journaled = writer.flushAndMarkJournal();
      if (snapshotFile != null) {
        try {
          // alarms still queued leave their keys out: were they lost in a crash, their events must alarm again
          SuppressionSnapshot.save(snapshotFile, ticker, tables(), true);
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
        writer.dropJournalBefore(journaled); // the snapshot holds those keys now
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while writing alarms before the suppression snapshot");
    }
    persistedChanges = changes;
  }

  /** Hands the writer the summaries of alarms over each policy's cap, of minutes that ended (all, at stop). */
  private void submitSummaries(boolean atStop) throws InterruptedException {
    long now = ticker.nowMicros();
    for (Binding b : bindings.all) {
      Optional<AlarmSummary> summary = b.state.cap.takeSummary(b.policy.name(), b.policy.mode(), now, atStop);
      if (summary.isPresent()) writer.submitSummary(summary.get());
    }
  }

  /** Writes queued alarms and the last summaries, closes the files and saves the suppression snapshot. Call after the sources stopped. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) return;
    closed = true; // a persist() after this would wait for a writer that is gone
    submitSummaries(true);
    writer.close();
    if (snapshotFile != null) {
      SuppressionSnapshot.save(snapshotFile, ticker, tables());
      try {
        Files.deleteIfExists(journalFile); // all of it is in the snapshot now
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the suppression journal " + journalFile, e);
      }
    }
  }
}
