package io.flowsentry.cluster.analyze;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.core.AlarmRateCap;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.suppress.EventTimeTicker;
import io.flowsentry.analyzer.suppress.SuppressionKey;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.cluster.wire.AlarmId;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.cluster.wire.MalformedRecordException;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.logging.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition of {@code <prefix>.flows.v1}: every event through the single node's policies
 * ({@link RestrictedOutgoingPolicy#alarms}), then suppression, then the alarm record to
 * {@code <prefix>.alarms.v1}. The suppression table is the task's state store (changelog topic),
 * so it moves with the partition; under {@code exactly_once_v2} the store update and the alarm
 * are one transaction with the consumed offset: a task killed and re-run elsewhere repeats
 * neither.
 *
 * <p>Suppression means what it means on one node (analyzer/suppress/SuppressionTable): a key is
 * suppressed while {@code clock - lastSeen < suppress_for}, and every identical event sets
 * lastSeen to the clock (expire-after-access). It is written out here, not delegated to Caffeine,
 * because the entries live in the store. The clock is the partition's event time: the newest
 * event timestamp seen in this partition (the same {@link EventTimeTicker} rule, kept in the
 * store too). Every suppression key lives in one partition ({@code FlowKey}), so with events
 * in time order this decides exactly as the single node's global clock.
 */
final class AnalyzeProcessor implements Processor<byte[], byte[], String, byte[]> {
  static final String STORE = "suppression";
  private static final Logger log = LoggerFactory.getLogger(AnalyzeProcessor.class);
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);

  private final Supplier<List<RestrictedOutgoingPolicy>> policies;
  private final EventCodec codec;
  private final AnalyzerMetrics metrics;
  private final Clock wall;
  private final RateLimitedLog malformedLog;
  private final Map<String, AlarmRateCap> caps = new HashMap<>();
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<Bytes, Long> store;
  private EventTimeTicker ticker;

  AnalyzeProcessor(Supplier<List<RestrictedOutgoingPolicy>> policies, EventCodec codec, AnalyzerMetrics metrics, Clock wall) {
    this.policies = policies;
    this.codec = codec;
    this.metrics = metrics;
    this.wall = wall;
    this.malformedLog = new RateLimitedLog(wall, Duration.ofMinutes(1), 1);
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
    this.ticker = new EventTimeTicker(wall);
    Long clock = store.get(SuppressionStoreKey.CLOCK);
    if (clock != null) ticker.advanceTo(clock);
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, t -> sweep());
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    ConnectionEvent e;
    try {
      e = EventCodec.decode(record.value());
    } catch (MalformedRecordException ex) {
      metrics.malformed();
      long notShown = malformedLog.permit(0);
      if (notShown >= 0) {
        String where = context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
        log.warn("cluster: skipped a record of {} that is not a connection event: {}{}", where, ex.getMessage(),
            notShown > 0 ? " (" + notShown + " more in the last minute)" : "");
      }
      return;
    }
    metrics.event(e.source());
    long before = ticker.nowMicros();
    long now = ticker.advanceTo(e.tsMicros());
    if (now != before) store.put(SuppressionStoreKey.CLOCK, now);
    SuppressionKey key = null;
    for (RestrictedOutgoingPolicy p : policies.get()) {
      if (!p.alarms(e)) continue;
      if (key == null) key = SuppressionKey.of(e);
      Bytes k = SuppressionStoreKey.of(p.name(), key);
      Long lastSeen = store.get(k);
      store.put(k, now);
      if (lastSeen != null && now - lastSeen < micros(p.suppressFor())) {
        metrics.suppressed(p.name());
        continue;
      }
      AlarmRateCap cap = caps.computeIfAbsent(p.name(), n -> new AlarmRateCap(p.maxAlarmsPerMinute()));
      cap.reconfigure(p.maxAlarmsPerMinute());
      if (!cap.admit(now)) {
        metrics.summarized(p.name());
        continue;
      }
      Alarm a = new Alarm(p.name(), p.noteStyle().alarmName(e.proto()), p.noteStyle().noticeNote(e.proto()), e,
          p.suppressFor(), null);
      String id = AlarmId.of(p.name(), key, now);
      context.forward(new Record<>(id, AlarmCodec.encode(id, a, null, codec), record.timestamp()));
      metrics.alarm();
    }
    forwardSummaries(now, record.timestamp());
  }

  /** Summaries of the minutes over a policy's cap that ended by event time {@code now}. */
  private void forwardSummaries(long now, long timestamp) {
    for (var c : caps.entrySet()) {
      Optional<AlarmSummary> s = c.getValue().takeSummary(c.getKey(), now, false);
      if (s.isEmpty()) continue;
      int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
      String id = AlarmId.ofSummary(c.getKey(), s.get().endMicros(), partition);
      context.forward(new Record<>(id, AlarmCodec.encode(id, s.get()), timestamp));
    }
  }

  /**
   * Removes entries whose window ended (nothing expires between events in event time, so they
   * would stay), entries of policies no longer configured, and per policy the oldest entries over
   * {@code max_suppression_entries}. Between sweeps a policy may hold up to what
   * {@link #SWEEP_INTERVAL} of alarms adds beyond its bound. An entry removed for size may alarm
   * again, never the other way (as on one node).
   */
  private void sweep() {
    long now = ticker.nowMicros();
    Map<String, RestrictedOutgoingPolicy> byName = new HashMap<>();
    for (RestrictedOutgoingPolicy p : policies.get()) byName.put(p.name(), p);
    Map<String, Long> counts = new HashMap<>();
    List<Bytes> expired = new ArrayList<>();
    try (KeyValueIterator<Bytes, Long> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, Long> kv = it.next();
        String policy = SuppressionStoreKey.policy(kv.key);
        if (policy == null) continue; // the clock
        RestrictedOutgoingPolicy p = byName.get(policy);
        if (p == null || now - kv.value >= micros(p.suppressFor())) expired.add(kv.key);
        else counts.merge(policy, 1L, Long::sum);
      }
    }
    expired.forEach(store::delete);
    counts.forEach((policy, n) -> {
      long over = n - byName.get(policy).maxSuppressionEntries();
      if (over > 0) evictOldest(policy, over);
    });
  }

  private void evictOldest(String policy, long over) {
    List<KeyValue<Bytes, Long>> entries = new ArrayList<>();
    try (KeyValueIterator<Bytes, Long> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, Long> kv = it.next();
        if (policy.equals(SuppressionStoreKey.policy(kv.key))) entries.add(kv);
      }
    }
    entries.sort((a, b) -> Long.compare(a.value, b.value));
    for (int i = 0; i < over && i < entries.size(); i++) store.delete(entries.get(i).key);
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
