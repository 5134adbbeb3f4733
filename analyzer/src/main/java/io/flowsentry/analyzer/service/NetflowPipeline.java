package io.flowsentry.analyzer.service;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.netflow.Decapsulation;
import io.flowsentry.collector.netflow.NetflowCollector;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.InstantSource;
import java.util.List;

/**
 * The NetFlow/IPFIX side of the daemon as one object: the collector with its three decoders,
 * the normalizer and the template stores, wired the way {@code flowsentry run} uses them (and
 * the ingest benchmark measures them).
 *
 * @param templateStores one store per template protocol (v9, IPFIX), for the template gauges
 */
public record NetflowPipeline(NetflowCollector collector, List<TemplateStore> templateStores) {

  /**
   * @param input the validated {@code inputs.netflow} section (limits, decapsulation)
   * @param raw whether every decoded element travels with the event (only the events sink wants it)
   */
  public static NetflowPipeline collector(UdpInputConfig input, boolean raw, EventHandler events, MeterRegistry registry,
      InstantSource clock) {
    NetflowLimits limits = input.limits();
    Decapsulation decapsulation = input.decapsulationMode();
    // one store per protocol: an exporter speaking v9 and IPFIX with the same domain and
    // template ids must not have the two replace each other's templates
    TemplateStore v9Templates = new TemplateStore(limits);
    TemplateStore ipfixTemplates = new TemplateStore(limits);
    NetflowCollector collector = new NetflowCollector(new NetflowV5Decoder(raw)::decode,
        new NetflowV9Decoder(v9Templates, limits, raw, decapsulation)::decode,
        new IpfixDecoder(ipfixTemplates, limits, raw, decapsulation)::decode,
        FlowNormalizer.withDefaults(), events, limits, registry, clock);
    return new NetflowPipeline(collector, List.of(v9Templates, ipfixTemplates));
  }
}
