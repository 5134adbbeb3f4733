package io.flowsentry.app.service;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.EvictionReason;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.List;

/**
 * The NetFlow/IPFIX/sFlow side of the daemon as one object: the collector with its four decoders,
 * the normalizer and the template store, wired the way {@code flowsentry run} uses them (and
 * the ingest benchmark measures them).
 *
 * @param templates the one store of the v9 and IPFIX decoders (one budget per exporter across both)
 */
public record NetflowPipeline(DatagramPipeline collector, TemplateStore templates) {

  /**
   * @param input the validated {@code inputs.netflow} section (limits, decapsulation)
   * @param raw whether every decoded element travels with the event (only the events sink wants it)
   */
  public static NetflowPipeline collector(UdpInputConfig input, boolean raw, EventHandler events, MeterRegistry registry,
      InstantSource clock) {
    NetflowLimits limits = input.limits();
    Decapsulation decapsulation = input.decapsulationMode();
    TemplateStore templates = new TemplateStore(limits);
    DatagramPipeline collector = new DatagramPipeline(new NetflowV5Decoder(raw)::decode,
        new NetflowV9Decoder(templates, limits, raw, decapsulation)::decode,
        new IpfixDecoder(templates, limits, raw, decapsulation)::decode,
        new SflowDecoder(raw, decapsulation == Decapsulation.SRV6),
        FlowNormalizer.withDefaults(), events, limits, registry, clock);
    NetflowPipeline pipeline = new NetflowPipeline(collector, templates);
    pipeline.registerEvictions(registry);
    return pipeline;
  }

  /** The stores for the per-exporter template gauges. */
  public List<TemplateStore> templateStores() {
    return List.of(templates);
  }

  /**
   * Expires held data, templates and silent exporters now, whether or not anything arrives
   * (the daemon calls this every second).
   */
  public void sweep(long nowMillis) {
    templates.expire(nowMillis, collector.sweepListener());
    collector.expire(nowMillis);
  }

  /**
   * {@code flowsentry_exporters_evicted_total{reason}}: the collector's exporter table counts
   * {@code table_full} and {@code idle} (the template store forgets the same exporters by the
   * same rules and is not counted twice), the store counts {@code state_budget}.
   */
  private void registerEvictions(MeterRegistry registry) {
    for (EvictionReason reason : EvictionReason.values()) {
      FunctionCounter.builder("flowsentry.exporters.evicted", this,
              p -> reason == EvictionReason.STATE_BUDGET ? p.templates.evictions(reason) : p.collector.evictions(reason))
          .description("Exporters whose state was forgotten, by reason (table_full, state_budget, idle)")
          .tag("reason", reason.tag())
          .register(registry);
    }
  }
}
