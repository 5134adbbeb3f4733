package io.flowsentry.app.roles;

import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.service.NetflowPipeline;
import io.flowsentry.cluster.publish.EventPublisher;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.collector.netflow.template.TemplateStoreMetrics;
import io.flowsentry.collector.udp.UdpServer;
import io.flowsentry.collector.zeek.ZeekInputConfig;
import io.flowsentry.collector.zeek.ZeekTailer;
import io.flowsentry.collector.zeek.dns.DnsLogLines;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --role collector}: the single node's inputs (the same UDP server, datagram pipeline,
 * normalizer and Zeek tailers) with the {@link EventPublisher} where the analyzer would be. The
 * originator decision (reverse-flow memory, port heuristic) runs here, in the normalizer, because
 * only the collector that receives an exporter's datagrams sees both directions of its flows in
 * order; the record carries the decided orientation and its confidence.
 */
final class CollectorRole implements RoleService {
  private static final Logger log = LoggerFactory.getLogger(CollectorRole.class);

  private final FlowsentryConfig config;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final ScheduledExecutorService housekeeping;
  private final List<ZeekTailer> tailers = new ArrayList<>();
  private EventPublisher publisher;
  private UdpServer udp;

  CollectorRole(FlowsentryConfig config, PrometheusMeterRegistry registry, Clock clock, ScheduledExecutorService housekeeping) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.housekeeping = housekeeping;
  }

  @Override
  public void start() throws IOException {
    var kafka = config.cluster().kafka();
    publisher = new EventPublisher(kafka, new EventCodec(config.site().communityId()), registry);
    log.info("collector: publishing to {} at {} (at most {} events buffered)", kafka.topics().flows(),
        String.join(",", kafka.bootstrapServers()), kafka.maxBufferedEvents());
    Path stateDir = config.stateDirPath();
    Files.createDirectories(stateDir);
    for (ZeekInputConfig z : config.inputs().zeek()) {
      ZeekTailer tailer = new ZeekTailer(z, stateDir, publisher, registry, clock, false);
      tailer.start();
      tailers.add(tailer);
      log.info("collector: zeek: following {} (start at {})", z.path(), z.startAt());
    }
    for (ZeekInputConfig z : config.inputs().zeekDns()) {
      // dns.log lines make no events: their answers go to <prefix>.dns.v1, which every analyzer reads
      ZeekTailer tailer = new ZeekTailer(z, stateDir, publisher, registry, clock, DnsLogLines.into(publisher::onDnsAnswers));
      tailer.start();
      tailers.add(tailer);
      log.info("collector: zeek dns: following {} (start at {}) to {}", z.path(), z.startAt(), kafka.topics().dns());
    }
    var netflow = config.inputs().netflow();
    if (!netflow.listen().isEmpty()) {
      NetflowPipeline pipeline = NetflowPipeline.collector(netflow, false, publisher, registry, clock);
      TemplateStoreMetrics.bind(pipeline.templateStores(), registry, housekeeping);
      housekeeping.scheduleWithFixedDelay(() -> {
        try {
          pipeline.sweep(clock.millis());
        } catch (RuntimeException e) {
          log.error("collector: expiring held data, templates and silent exporters failed (a bug)", e);
        }
      }, 1, 1, TimeUnit.SECONDS);
      udp = new UdpServer(netflow, pipeline.collector(), registry);
      udp.start();
      for (var a : udp.boundAddresses()) log.info("collector: netflow: listening on udp {}", a);
    }
  }

  /** Where the NetFlow/IPFIX sockets are bound. */
  List<java.net.InetSocketAddress> netflowAddresses() {
    return udp == null ? List.of() : udp.boundAddresses();
  }

  @Override
  public List<String> status() {
    List<String> s = new ArrayList<>();
    if (udp != null) s.add("collector netflow: " + (udp.boundAddresses().isEmpty() ? "not bound" : "receiving"));
    for (ZeekTailer t : tailers) s.add("collector zeek " + t.path() + ": " + (t.isRunning() ? "following" : "stopped"));
    if (publisher != null) s.add("collector kafka: " + publisher.buffered() + " events buffered, " + publisher.published() + " published, "
        + publisher.dropped() + " dropped");
    return s;
  }

  @Override
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (udp != null && udp.boundAddresses().isEmpty()) p.add("collector netflow: not bound");
    for (ZeekTailer t : tailers) if (!t.isRunning()) p.add("collector zeek " + t.path() + ": stopped");
    return p;
  }

  @Override
  public void close() {
    if (udp != null) udp.close();
    for (ZeekTailer t : tailers) {
      try {
        t.close();
      } catch (Exception e) {
        log.warn("collector: closing the tailer of {}: {}", t.path(), e.toString());
      }
    }
    if (publisher != null) {
      try {
        publisher.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
