package io.flowsentry.collector.netflow.template;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code flowsentry_templates{exporter}} and {@code flowsentry_pending_sets{exporter}}: a
 * wrapper that re-reads the store's counts every second, so the decoding path never
 * touches a meter and exporters that are forgotten disappear from the scrape.
 */
public final class TemplateStoreMetrics {
  private static final long REFRESH_SECONDS = 1;

  private TemplateStoreMetrics() {}

  /** @param stores the stores of the v9 and IPFIX decoders; counts are summed per exporter */
  public static void bind(List<TemplateStore> stores, MeterRegistry registry, ScheduledExecutorService scheduler) {
    MultiGauge templates = MultiGauge.builder("flowsentry.templates")
        .description("Templates held per exporter (all observation domains)").register(registry);
    MultiGauge pending = MultiGauge.builder("flowsentry.pending.sets")
        .description("Data sets held per exporter while their template is missing").register(registry);
    Runnable refresh = () -> {
      Map<String, long[]> counts = new TreeMap<>();
      for (TemplateStore store : stores) {
        for (ExporterId e : store.exporters()) {
          long[] c = counts.computeIfAbsent(e.toString(), k -> new long[2]);
          c[0] += store.templateCount(e);
          c[1] += store.pending().size(e);
        }
      }
      templates.register(counts.entrySet().stream()
          .map(e -> MultiGauge.Row.of(Tags.of("exporter", e.getKey()), e.getValue()[0])).toList(), true);
      pending.register(counts.entrySet().stream()
          .map(e -> MultiGauge.Row.of(Tags.of("exporter", e.getKey()), e.getValue()[1])).toList(), true);
    };
    refresh.run();
    scheduler.scheduleWithFixedDelay(refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
  }
}
