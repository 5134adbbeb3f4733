package io.flowsentry.collector.netflow.template;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flowsentry_templates{exporter}} and {@code flowsentry_pending_sets{exporter}}: the
 * stores' counts re-read every second, so the decoding path never touches a meter and exporters
 * that are forgotten disappear from the scrape.
 *
 * <p>Each exporter's two gauges are registered once and then only change value. Removing and
 * re-registering them on every refresh (Micrometer's {@code MultiGauge} with overwrite) let a
 * Prometheus scrape running at that moment see a gauge twice and fail as a whole with
 * "duplicate labels" (micrometer-metrics/micrometer#6851): an empty reply to the scraper.
 */
public final class TemplateStoreMetrics {
  private static final Logger log = LoggerFactory.getLogger(TemplateStoreMetrics.class);
  private static final long REFRESH_SECONDS = 1;

  /** One exporter's values and the gauges that read them. */
  private record Row(AtomicLong templates, AtomicLong pending, List<Meter> meters) {}

  private final List<TemplateStore> stores;
  private final MeterRegistry registry;
  /** Guarded by this: refreshes run one at a time. */
  private final Map<String, Row> rows = new HashMap<>();

  private TemplateStoreMetrics(List<TemplateStore> stores, MeterRegistry registry) {
    this.stores = List.copyOf(stores);
    this.registry = registry;
  }

  /**
   * Registers the gauges and refreshes them every second on {@code scheduler}.
   *
   * @param stores the stores of the v9 and IPFIX decoders; counts are summed per exporter
   */
  public static TemplateStoreMetrics bind(List<TemplateStore> stores, MeterRegistry registry, ScheduledExecutorService scheduler) {
    TemplateStoreMetrics metrics = new TemplateStoreMetrics(stores, registry);
    metrics.refresh();
    scheduler.scheduleWithFixedDelay(metrics::refreshLogged, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
    return metrics;
  }

  /** Re-reads the stores now (the schedule does it every second). */
  public synchronized void refresh() {
    Map<String, long[]> counts = new TreeMap<>();
    for (TemplateStore store : stores) {
      for (ExporterId e : store.exporters()) {
        long[] c = counts.computeIfAbsent(e.toString(), k -> new long[2]);
        c[0] += store.templateCount(e);
        c[1] += store.pending().size(e);
      }
    }
    counts.forEach((exporter, c) -> {
      Row row = rows.computeIfAbsent(exporter, this::register);
      row.templates.set(c[0]);
      row.pending.set(c[1]);
    });
    rows.entrySet().removeIf(e -> {
      if (counts.containsKey(e.getKey())) return false;
      e.getValue().meters.forEach(registry::remove);
      return true;
    });
  }

  /** A failing refresh must not end the schedule (the executor would drop it silently). */
  private void refreshLogged() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("template metrics: refresh failed, values kept from the last one", e);
    }
  }

  private Row register(String exporter) {
    AtomicLong templates = new AtomicLong(), pending = new AtomicLong();
    List<Meter> meters = List.of(
        Gauge.builder("flowsentry.templates", templates, AtomicLong::get).strongReference(true)
            .description("Templates held per exporter (all observation domains)").tag("exporter", exporter).register(registry),
        Gauge.builder("flowsentry.pending.sets", pending, AtomicLong::get).strongReference(true)
            .description("Data sets held per exporter while their template is missing").tag("exporter", exporter).register(registry));
    return new Row(templates, pending, meters);
  }
}
