package io.flowsentry.collector.netflow.template;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
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

  public static void bind(TemplateStore store, MeterRegistry registry, ScheduledExecutorService scheduler) {
    MultiGauge templates = MultiGauge.builder("flowsentry.templates")
        .description("Templates held per exporter (all observation domains)").register(registry);
    MultiGauge pending = MultiGauge.builder("flowsentry.pending.sets")
        .description("Data sets held per exporter while their template is missing").register(registry);
    Runnable refresh = () -> {
      var exporters = store.exporters();
      templates.register(exporters.stream()
          .map(e -> MultiGauge.Row.of(Tags.of("exporter", e.toString()), store.templateCount(e))).toList(), true);
      pending.register(exporters.stream()
          .map(e -> MultiGauge.Row.of(Tags.of("exporter", e.toString()), store.pending().size(e))).toList(), true);
    };
    refresh.run();
    scheduler.scheduleWithFixedDelay(refresh, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
  }
}
