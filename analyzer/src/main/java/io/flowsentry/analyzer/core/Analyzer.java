package io.flowsentry.analyzer.core;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.suppress.EventTimeTicker;
import io.flowsentry.analyzer.suppress.SuppressionKey;
import io.flowsentry.analyzer.suppress.SuppressionSnapshot;
import io.flowsentry.analyzer.suppress.SuppressionTable;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.event.EventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * Events → every policy → suppression → alarm writer. Called concurrently by every source
 * thread; the path takes no lock (policies are an immutable array behind a volatile field,
 * suppression is Caffeine, counters are adders) and the only hand-off is the writer's bounded
 * queue, used for the rare alarm.
 */
public final class Analyzer implements EventHandler, AutoCloseable {

  /** A policy with the state that outlives configuration reloads under the same name. */
  private record Binding(RestrictedOutgoingPolicy policy, PolicyState state) {}

  private static final class PolicyState {
    final SuppressionTable table;
    final Counter suppressed;
    final Gauge entries;
    final LongAdder alarms = new LongAdder();

    PolicyState(SuppressionTable table, Counter suppressed, Gauge entries) {
      this.table = table;
      this.suppressed = suppressed;
      this.entries = entries;
    }
  }

  private final EventTimeTicker ticker = new EventTimeTicker();
  private final AlarmWriter writer;
  private final Path snapshotFile;
  private final MeterRegistry registry;
  private final Counter[] eventsBySource;
  private final LongAdder events = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile Binding[] bindings;

  /**
   * @param stateDir where the suppression snapshot is restored from now and saved to on
   *     {@link #close()}; null = no persistence (tests, replay without state)
   */
  public Analyzer(List<RestrictedOutgoingPolicy> policies, AlarmWriter writer, Path stateDir, MeterRegistry registry) {
    this.writer = writer;
    this.registry = registry;
    this.snapshotFile = stateDir == null ? null : stateDir.resolve(SuppressionSnapshot.FILE_NAME);
    EventSource[] sources = EventSource.values();
    eventsBySource = new Counter[sources.length];
    for (EventSource s : sources) {
      eventsBySource[s.ordinal()] = Counter.builder("flowsentry.events")
          .description("Connection events analyzed").tag("source", s.label()).register(registry);
    }
    bindings = bind(policies, Map.of());
    if (snapshotFile != null) SuppressionSnapshot.restore(snapshotFile, ticker, tables());
  }

  @Override
  public void onEvent(ConnectionEvent e) {
    eventsBySource[e.source().ordinal()].increment();
    events.increment();
    ticker.advanceTo(e.tsMicros());
    SuppressionKey key = null;
    for (Binding b : bindings) {
      if (!b.policy.alarms(e)) continue;
      if (key == null) key = SuppressionKey.of(e);
      PolicyState s = b.state;
      if (!s.table.firstSighting(key)) {
        s.suppressed.increment();
        continue;
      }
      RestrictedOutgoingPolicy p = b.policy;
      Alarm alarm = new Alarm(p.name(), p.noteStyle().alarmName(e.proto()), p.noteStyle().noticeNote(e.proto()),
          e, p.suppressFor());
      if (writer.submit(alarm)) s.alarms.increment();
      else dropped.increment();
    }
  }

  /**
   * Swaps in a reloaded set of policies. A policy whose name persists keeps its remembered
   * keys (its table takes the new suppress_for and size bound); state of removed policies is
   * dropped with their metrics.
   */
  public synchronized void update(List<RestrictedOutgoingPolicy> policies) {
    Map<String, PolicyState> old = new HashMap<>();
    for (Binding b : bindings) old.put(b.policy.name(), b.state);
    Binding[] next = bind(policies, old);
    Set<String> kept = new HashSet<>();
    for (Binding b : next) kept.add(b.policy.name());
    bindings = next;
    old.forEach((name, s) -> {
      if (!kept.contains(name)) {
        registry.remove(s.suppressed);
        registry.remove(s.entries);
      }
    });
  }

  private Binding[] bind(List<RestrictedOutgoingPolicy> policies, Map<String, PolicyState> old) {
    List<Binding> out = new ArrayList<>();
    for (RestrictedOutgoingPolicy p : policies) {
      PolicyState s = old.get(p.name());
      if (s == null) {
        SuppressionTable table = new SuppressionTable(p.suppressFor(), p.maxSuppressionEntries(), ticker);
        s = new PolicyState(table,
            Counter.builder("flowsentry.suppressed").description("Events inside a suppression window")
                .tag("policy", p.name()).register(registry),
            Gauge.builder("flowsentry.suppression.entries", table, SuppressionTable::size)
                .description("Remembered alarm keys").tag("policy", p.name()).register(registry));
      } else {
        s.table.reconfigure(p.suppressFor(), p.maxSuppressionEntries());
      }
      out.add(new Binding(p, s));
    }
    return out.toArray(Binding[]::new);
  }

  private Map<String, SuppressionTable> tables() {
    Map<String, SuppressionTable> tables = new LinkedHashMap<>();
    for (Binding b : bindings) tables.put(b.policy.name(), b.state.table);
    return tables;
  }

  /** The event-time clock in epoch microseconds ({@link Long#MIN_VALUE} before any event). */
  public long eventClockMicros() {
    return ticker.nowMicros();
  }

  /** Counts so far; {@code badLines} is what the caller could not turn into events. */
  public ReplaySummary summary(long badLines) {
    Map<String, Long> alarms = new LinkedHashMap<>();
    Map<String, Long> suppressed = new LinkedHashMap<>();
    for (Binding b : bindings) {
      alarms.put(b.policy.name(), b.state.alarms.sum());
      suppressed.put(b.policy.name(), (long) b.state.suppressed.count());
    }
    return new ReplaySummary(events.sum(), alarms, suppressed, dropped.sum(), badLines);
  }

  /** Asks the writer to reopen its files (SIGHUP after logrotate). */
  public void reopen() {
    writer.reopen();
  }

  /** Waits until every alarm raised so far is in the files. */
  public void flush() throws InterruptedException {
    writer.flush();
  }

  /** Writes queued alarms, closes the files and saves the suppression snapshot. Call after the sources stopped. */
  @Override
  public void close() throws InterruptedException {
    writer.close();
    if (snapshotFile != null) SuppressionSnapshot.save(snapshotFile, ticker, tables());
  }
}
