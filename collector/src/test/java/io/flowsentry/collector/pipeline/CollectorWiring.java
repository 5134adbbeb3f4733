package io.flowsentry.collector.pipeline;

import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.ipfix.IpfixDecoder;
import io.flowsentry.collector.netflow.template.TemplateStore;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v9.NetflowV9Decoder;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/** A {@link DatagramPipeline} with the real v5, v9 and IPFIX decoders, wired as the daemon wires it. */
public final class CollectorWiring {
  private CollectorWiring() {}

  public static DatagramPipeline real(EventHandler events, MeterRegistry registry, NetflowLimits limits) {
    return new DatagramPipeline(new NetflowV5Decoder(false), new NetflowV9Decoder(new TemplateStore(limits), limits, false)::decode,
        new IpfixDecoder(new TemplateStore(limits), limits, false)::decode, new SflowDecoder(false, false), FlowNormalizer.withDefaults(), events, limits, registry,
        Clock.systemUTC());
  }
}
