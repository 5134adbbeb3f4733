package io.flowsentry.app.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.app.service.NetflowPipeline;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.loadgen.ExportEncoder;
import io.flowsentry.collector.loadgen.ExportTotals;
import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.flowsentry.collector.netflow.template.TemplateStoreMetrics;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** flowsentry_templates / flowsentry_pending_sets as Prometheus scrapes them. */
class TemplateMetricsTest {
  private static final long T0 = 1_700_000_000_000L;

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final NetflowPipeline pipeline = NetflowPipeline.collector(
      new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), null, null, null, null, null), false, e -> { }, registry, Clock.systemUTC());
  private final ExportEncoder ipfix = ExportEncoder.of(ExportVersion.IPFIX,
      new SyntheticFlows(100, 1, Cidr.parse("10.0.0.0/8"), Cidr.parse("0.0.0.0/0")), T0, 1);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  /** One IPFIX message (template and data) from 127.0.0.{@code host}, received at {@code millis}. */
  private void send(int host, long millis) {
    ByteBuf out = Unpooled.buffer(1500);
    ipfix.encode(out, 0, millis, new ExportTotals());
    pipeline.collector().onDatagram(new InetSocketAddress("127.0.0." + host, 4739), out, millis);
  }

  @Test
  void gaugesFollowTheStoresAndForgottenExportersDisappear() {
    for (int host = 1; host <= 3; host++) send(host, T0);
    TemplateStoreMetrics metrics = TemplateStoreMetrics.bind(pipeline.templateStores(), registry, scheduler);
    String scrape = registry.scrape();
    for (int host = 1; host <= 3; host++) {
      assertTrue(scrape.contains("flowsentry_templates{exporter=\"127.0.0." + host + "\"} 1.0"), scrape);
      assertTrue(scrape.contains("flowsentry_pending_sets{exporter=\"127.0.0." + host + "\"} 0.0"), scrape);
    }
    // past the template timeout only 127.0.0.1 is still heard: the others are forgotten
    send(1, T0 + 3_600_000);
    metrics.refresh();
    scrape = registry.scrape();
    assertTrue(scrape.contains("flowsentry_templates{exporter=\"127.0.0.1\"} 1.0"), scrape);
    for (int host = 2; host <= 3; host++) {
      assertFalse(scrape.contains("flowsentry_templates{exporter=\"127.0.0." + host + "\"}"), scrape);
      assertFalse(scrape.contains("flowsentry_pending_sets{exporter=\"127.0.0." + host + "\"}"), scrape);
    }
  }

  @Test
  void scrapesNeverFailWhileTheGaugesRefresh() throws Exception {
    for (int host = 1; host <= 50; host++) send(host, T0);
    TemplateStoreMetrics metrics = TemplateStoreMetrics.bind(pipeline.templateStores(), registry, scheduler);
    AtomicBoolean done = new AtomicBoolean();
    CountDownLatch refreshing = new CountDownLatch(1);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // refreshes until every scrape is done (bounded by the deadline), so each scrape overlaps one
    Thread refresher = new Thread(() -> {
      while (!done.get() && System.nanoTime() < deadline) {
        metrics.refresh();
        refreshing.countDown();
      }
    });
    refresher.start();
    try {
      assertTrue(refreshing.await(10, TimeUnit.SECONDS), "the refresher ran");
      for (int i = 0; i < 300; i++) {
        String scrape = registry.scrape();
        assertEquals(50, scrape.lines().filter(l -> l.startsWith("flowsentry_templates{")).count(), "scrape " + i + ":\n" + scrape);
      }
      assertTrue(refresher.isAlive(), "the refresher was still refreshing after the last scrape (it ended or hit its deadline)");
    } finally {
      done.set(true);
      refresher.join();
    }
  }
}
