package io.flowsentry.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.loadgen.ExportEncoder;
import io.flowsentry.collector.loadgen.ExportTotals;
import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link NetflowLimits#EXPORTER_STATE_BYTES}, what check-config and the start-up heap check
 * charge per exporter for its counters and sequence trackers, against the heap a thousand
 * exporters speaking v5, v9 and IPFIX (every per-exporter series registered) really take in the
 * daemon's Prometheus registry, the template store's own charge taken off.
 */
class ExporterFootprintTest {

  private static final long T0 = 1_700_000_000_000L;
  private static final int EXPORTERS = 1_000;

  private static long usedHeap() {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return best;
  }

  @Test
  void chargePerExporterCoversItsCountersAndTrackers() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NetflowPipeline pipeline = NetflowPipeline.collector(
        new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), null, null, null, null, null), false, e -> { }, registry,
        Clock.systemUTC());
    SyntheticFlows flows = new SyntheticFlows(100, 1, Cidr.parse("10.0.0.0/8"), Cidr.parse("0.0.0.0/0"));
    List<ExportEncoder> encoders = List.of(ExportEncoder.of(ExportVersion.V5, flows, T0, 1),
        ExportEncoder.of(ExportVersion.V9, flows, T0, 1), ExportEncoder.of(ExportVersion.IPFIX, flows, T0, 1));
    registry.scrape(); // the registry's own first-use allocations are not the exporters'
    long before = usedHeap();
    for (int e = 0; e < EXPORTERS; e++) {
      InetSocketAddress from = new InetSocketAddress("127.1." + (e >> 8) + "." + (e & 255), 2055);
      for (ExportEncoder encoder : encoders) {
        for (long packet : new long[] {0, 5}) { // a gap: the sequence-gap series too
          ByteBuf out = Unpooled.buffer(1500);
          encoder.encode(out, packet, T0, new ExportTotals());
          pipeline.collector().onDatagram(from, out, T0);
        }
      }
    }
    long perExporter = (usedHeap() - before - pipeline.templates().stateBytes()) / EXPORTERS;
    assertEquals(EXPORTERS, pipeline.collector().exporterCount());
    System.out.printf("exporter state: measured %d bytes per exporter, charged %d%n", perExporter,
        NetflowLimits.EXPORTER_STATE_BYTES);
    assertTrue(perExporter <= NetflowLimits.EXPORTER_STATE_BYTES, "measured " + perExporter);
  }
}
