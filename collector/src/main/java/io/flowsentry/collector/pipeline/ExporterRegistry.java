package io.flowsentry.collector.pipeline;

import io.flowsentry.collector.netflow.template.EvictionReason;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.template.ExporterActivity;
import io.flowsentry.collector.netflow.template.ExporterId;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The exporters the collector keeps counters and sequence numbers for, at most
 * {@code limits.max_exporters}; the bound also bounds the {@code exporter} label of every metric.
 *
 * <p>No lockout: a source earns an entry only with a datagram whose header decoded
 * ({@link #admit}); until then its datagram is decoded with a {@link #provisional} state that
 * is not kept. A new exporter arriving at a full table takes the place of the least useful one
 * ({@link ExporterActivity}: the one that delivered records least recently), and an exporter
 * silent for {@code exporter_timeout} is forgotten ({@link #expire}). Forgotten exporters' series
 * leave the registry. Both are counted in {@code flowsentry_exporters_evicted_total{reason}}.
 * The eviction scan is linear in the table, and runs only when a new exporter meets a full one.
 */
final class ExporterRegistry {

  private final int maxExporters;
  private final boolean includePort;
  private final long timeoutMillis;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<ExporterId, ExporterState> exporters = new ConcurrentHashMap<>();
  private final LongAdder evictedFull = new LongAdder();
  private final LongAdder evictedIdle = new LongAdder();

  ExporterRegistry(NetflowLimits limits, MeterRegistry registry) {
    this.maxExporters = limits.maxExporters();
    this.includePort = limits.exporterIncludesPort();
    this.timeoutMillis = limits.exporterTimeoutDuration().toMillis();
    this.registry = registry;
  }

  /** The state of the datagram's exporter, or null when it has none yet. */
  ExporterState get(InetSocketAddress sender, long nowMillis) {
    ExporterState state = exporters.get(ExporterId.of(sender, includePort));
    if (state != null) state.seen(nowMillis);
    return state;
  }

  /** A state for decoding one datagram of a source without an entry; {@link #admit} keeps it. */
  ExporterState provisional(InetSocketAddress sender, long nowMillis) {
    return new ExporterState(ExporterId.of(sender, includePort), registry, nowMillis);
  }

  /** Keeps {@code state} (a decoded header earned it), in the place of the least useful exporter when full. */
  ExporterState admit(InetSocketAddress sender, ExporterState state) {
    ExporterId id = ExporterId.of(sender, includePort);
    synchronized (this) { // rare: the first decoded datagram of each exporter
      ExporterState known = exporters.get(id);
      if (known != null) return known;
      if (exporters.size() >= maxExporters) {
        forget(ExporterActivity.leastUseful(exporters.values(), null));
        evictedFull.increment();
      }
      exporters.put(id, state);
      // a kept exporter's gap and skipped-element series exist at 0 from its first datagram, so
      // rate() and alert rules over them work before the first one (the provisional state
      // registered nothing)
      state.sequenceGaps();
      state.enterpriseElementsSkipped();
      return state;
    }
  }

  /** Forgets exporters silent for longer than {@code exporter_timeout}. */
  void expire(long nowMillis) {
    for (ExporterState e : exporters.values()) {
      if (nowMillis - e.lastSeenMillis() > timeoutMillis && forget(e)) evictedIdle.increment();
    }
  }

  private boolean forget(ExporterState e) {
    if (e == null || !exporters.remove(e.id, e)) return false;
    e.removeMeters();
    return true;
  }

  long evictions(EvictionReason reason) {
    return switch (reason) {
      case TABLE_FULL -> evictedFull.sum();
      case IDLE -> evictedIdle.sum();
      case STATE_BUDGET -> 0; // the template store's
    };
  }

  int size() {
    return exporters.size();
  }
}
