package io.flowsentry.cluster.analyze;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.ResponderNames;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.suppress.EventTimeTicker;
import io.flowsentry.analyzer.suppress.SuppressionKey;
import io.flowsentry.analyzer.suppress.SuppressionTable;
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
 * <p>Suppression means what it means on one node, by the same rule
 * ({@link SuppressionTable#sightingTime}, {@link SuppressionTable#suppresses}): a key is
 * suppressed while {@code t - lastSeen < suppress_for}, where {@code t} is the event's own time
 * never earlier than the key's last sighting, and a suppressed sighting moves lastSeen to
 * {@code t}. It is written out here, not delegated to Caffeine, because the entries live in the
 * store.
 *
 * <p>Event time: judging each key by its own events' time is what lets the cluster give the single
 * node's answer. The events of a partition come from several collectors interleaved in no
 * particular order, but every event of a key comes through one partition ({@code FlowKey}) and,
 * for a Zeek file or an exporter, from one collector in its order. The partition's clock (its
 * newest plausible timestamp, the {@link EventTimeTicker} rule, kept in the store) replaces an
 * event's timestamp only when that is implausibly far ahead of the wall clock, and drives the
 * removal of ended entries. {@code max_alarms_per_minute} is not applied here but by the alarm
 * writer, which sees the whole group's alarms: each alarm record carries its policy's cap.
 */
final class AnalyzeProcessor implements Processor<byte[], byte[], String, byte[]> {
  static final String STORE = "suppression";
  private static final Logger log = LoggerFactory.getLogger(AnalyzeProcessor.class);
  static final Duration SWEEP_INTERVAL = Duration.ofSeconds(10);
  private final Supplier<List<RestrictedOutgoingPolicy>> policies;
  private final ResponderNames names;
  private final EventCodec codec;
  private final AnalyzerMetrics metrics;
  private final Clock wall;
  private final RateLimitedLog malformedLog;
  private ProcessorContext<String, byte[]> context;
  private KeyValueStore<Bytes, byte[]> store;
  private EventTimeTicker ticker;

  AnalyzeProcessor(Supplier<List<RestrictedOutgoingPolicy>> policies, ResponderNames names, EventCodec codec,
      AnalyzerMetrics metrics, Clock wall) {
    this.policies = policies;
    this.names = names;
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
    byte[] clock = store.get(SuppressionStoreKey.CLOCK);
    if (clock != null) ticker.advanceTo(Sighting.eventMicros(clock));
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
    long clock = ticker.advanceTo(e.tsMicros());
    if (clock != before) store.put(SuppressionStoreKey.CLOCK, Sighting.of(clock, 0));
    long at = e.tsMicros() <= clock ? e.tsMicros() : clock; // beyond the clock only when the ticker refused it
    long wallMillis = wall.millis();
    SuppressionKey key = null;
    for (RestrictedOutgoingPolicy p : policies.get()) {
      if (!p.alarms(e)) continue;
      if (key == null) key = SuppressionKey.of(e);
      Bytes k = SuppressionStoreKey.of(p.name(), key);
      byte[] last = store.get(k);
      long lastSeen = last == null ? Long.MIN_VALUE : Sighting.eventMicros(last);
      long now = last == null ? at : SuppressionTable.sightingTime(at, lastSeen);
      if (last != null && SuppressionTable.suppresses(lastSeen, now, micros(p.suppressFor()))) {
        if (now != lastSeen) store.put(k, Sighting.of(now, wallMillis));
        metrics.suppressed(p.name());
        continue;
      }
      store.put(k, Sighting.of(now, wallMillis));
      Alarm a = new Alarm(p.name(), p.noteStyle().alarmName(e.proto()), p.noteStyle().noticeNote(e.proto()), e,
          p.suppressFor(), null, p.mode());
      String id = AlarmId.of(p.name(), key, now);
      // resp_name as the single node's writer finds it: what the originator resolved, valid at the event's time
      String respName = names.nameFor(e.origH(), e.respH(), e.tsMicros());
      // every alarm goes out with its policy's cap: the alarm writer, which sees the whole group's, applies it
      context.forward(new Record<>(id, AlarmCodec.encode(id, a, respName, p.maxAlarmsPerMinute(), codec), record.timestamp()));
      metrics.alarm(p.mode());
    }
  }

  /**
   * Removes entries whose window ended by both clocks: by the partition's event clock with
   * {@link SuppressionTable#LATE_ALLOWANCE} on top (as on one node), and by the wall clock since
   * the entry's last sighting (so that a slow collector's older events, judged by
   * their own time, still find their entries while a faster one moves the partition's clock on);
   * entries of policies no longer configured; and per policy the oldest entries over
   * {@code max_suppression_entries}. Between sweeps a policy may hold up to what
   * {@link #SWEEP_INTERVAL} of alarms adds beyond its bound. An entry removed may alarm again,
   * never the other way (as on one node). Nothing expires between events in event time, hence
   * the sweep.
   */
  private void sweep() {
    long clock = ticker.nowMicros();
    long wallMillis = wall.millis();
    Map<String, RestrictedOutgoingPolicy> byName = new HashMap<>();
    for (RestrictedOutgoingPolicy p : policies.get()) byName.put(p.name(), p);
    Map<String, Long> counts = new HashMap<>();
    List<Bytes> ended = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        String policy = SuppressionStoreKey.policy(kv.key);
        if (policy == null) continue; // the clock
        RestrictedOutgoingPolicy p = byName.get(policy);
        long window = p == null ? 0 : micros(p.suppressFor());
        if (p == null || (SuppressionTable.ended(Sighting.eventMicros(kv.value), clock, window)
            && (wallMillis - Sighting.wallMillis(kv.value)) * 1000 >= window)) {
          ended.add(kv.key);
        } else {
          counts.merge(policy, 1L, Long::sum);
        }
      }
    }
    ended.forEach(store::delete);
    counts.forEach((policy, n) -> {
      long over = n - byName.get(policy).maxSuppressionEntries();
      if (over > 0) evictOldest(policy, over);
    });
  }

  private void evictOldest(String policy, long over) {
    List<KeyValue<Bytes, Long>> entries = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
      while (it.hasNext()) {
        KeyValue<Bytes, byte[]> kv = it.next();
        if (policy.equals(SuppressionStoreKey.policy(kv.key))) entries.add(KeyValue.pair(kv.key, Sighting.eventMicros(kv.value)));
      }
    }
    entries.sort((a, b) -> Long.compare(a.value, b.value));
    for (int i = 0; i < over && i < entries.size(); i++) store.delete(entries.get(i).key);
  }

  /** A store value: event time of the last sighting (µs) and the wall clock then (ms), 16 bytes. */
  static final class Sighting {
    private Sighting() {}

    static byte[] of(long eventMicros, long wallMillis) {
      return java.nio.ByteBuffer.allocate(16).putLong(eventMicros).putLong(wallMillis).array();
    }

    static long eventMicros(byte[] v) {
      return java.nio.ByteBuffer.wrap(v).getLong(0);
    }

    static long wallMillis(byte[] v) {
      return java.nio.ByteBuffer.wrap(v).getLong(8);
    }
  }

  private static long micros(Duration d) {
    return d.toNanos() / 1000;
  }
}
