package io.flowsentry.app.roles;

import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.resolve.DnsHostResolver;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.cluster.analyze.AnalyzerMetrics;
import io.flowsentry.cluster.analyze.AnalyzerTopology;
import io.flowsentry.cluster.analyze.StreamsMetrics;
import io.flowsentry.cluster.passivedns.DnsAnswerFollower;
import io.flowsentry.cluster.wire.EventCodec;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run --role analyzer}: one member of the Streams application {@code <prefix>-analyzer}
 * on {@code <prefix>.flows.v1}, with the policies of its own configuration file (SIGHUP swaps
 * them, suppression state stays in the stores). Hostname exceptions resolve as on one node;
 * resp_name and allowed_domains use the collectors' dns.log answers ({@link DnsAnswerFollower}).
 */
final class AnalyzerRole implements RoleService {
  private static final Logger log = LoggerFactory.getLogger(AnalyzerRole.class);
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(15);
  /** How long a starting analyzer reads dns.log answers before it takes partitions, at most. */
  private static final Duration DNS_CATCH_UP_BOUND = Duration.ofSeconds(60);

  private final FlowsentryConfig config;
  private final PrometheusMeterRegistry registry;
  private final Clock clock;
  private final ScheduledExecutorService housekeeping;
  private final AtomicReference<List<RestrictedOutgoingPolicy>> policies = new AtomicReference<>(List.of());
  private DnsHostResolver resolver;
  private PassiveDnsTable passiveDns;
  private DnsAnswerFollower dnsAnswers;
  private KafkaStreams streams;
  private AnalyzerMetrics metrics;

  AnalyzerRole(FlowsentryConfig config, PrometheusMeterRegistry registry, Clock clock, ScheduledExecutorService housekeeping) {
    this.config = config;
    this.registry = registry;
    this.clock = clock;
    this.housekeeping = housekeeping;
  }

  @Override
  public void start() throws IOException {
    var kafka = config.cluster().kafka();
    Files.createDirectories(config.stateDirPath());
    resolver = new DnsHostResolver(config.site().dns(), clock, registry);
    passiveDns = new PassiveDnsTable(config.site().passiveDns(), registry);
    // the collectors' dns.log answers, all of them, before the first partition: a connection must
    // find what was answered before it, as on one node
    dnsAnswers = new DnsAnswerFollower(kafka, passiveDns::learn, registry, clock);
    dnsAnswers.start();
    metrics = new AnalyzerMetrics(registry);
    compile(config);
    resolver.refreshDue();
    resolver.start();
    try {
      if (!dnsAnswers.awaitCaughtUp(DNS_CATCH_UP_BOUND)) {
        log.warn("analyzer: {} not read to its end within {} s; analyzing now, names are learned as they come",
            kafka.topics().dns(), DNS_CATCH_UP_BOUND.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while reading " + kafka.topics().dns());
    }
    streams = new KafkaStreams(AnalyzerTopology.build(kafka.topics(), policies::get, passiveDns::nameFor,
        new EventCodec(config.site().communityId()), metrics, clock), AnalyzerTopology.streamsProperties(kafka, config.stateDirPath()));
    StreamsMetrics group = new StreamsMetrics(registry, kafka.topics().flows());
    group.bind(streams);
    streams.setUncaughtExceptionHandler(e -> {
      // under exactly_once_v2 the failed task's transaction aborts: a new thread re-runs it from the committed offset
      log.error("analyzer: a stream thread failed; replacing it (its uncommitted work is re-run)", e);
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    housekeeping.scheduleWithFixedDelay(() -> group.refreshLag(streams), 5, 5, TimeUnit.SECONDS);
    streams.start();
    log.info("analyzer: member of {} on {} (exactly_once_v2; {} restricted-outgoing policies)",
        kafka.topics().analyzerApplicationId(), kafka.topics().flows(), policies.get().size());
  }

  private void compile(FlowsentryConfig c) {
    policies.set(RestrictedOutgoingPolicy.compileAll(c.site(), c.policies(), resolver, passiveDns::resolvedFrom));
    for (RestrictedOutgoingPolicy p : policies.get()) metrics.expect(p.name());
  }

  @Override
  public void reload(FlowsentryConfig next) {
    compile(next);
    resolver.retainOnly(next.policies().hostnames());
    resolver.refreshDue();
  }

  @Override
  public List<String> status() {
    return List.of("analyzer: " + (streams == null ? "not started" : streams.state().name().toLowerCase()));
  }

  @Override
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (streams != null && !streams.state().isRunningOrRebalancing()) p.add("analyzer: streams " + streams.state().name().toLowerCase());
    return p;
  }

  /** Whether every task is assigned and running (tests wait for it). */
  boolean isRunning() {
    return streams != null && streams.state() == KafkaStreams.State.RUNNING;
  }

  @Override
  public void close() {
    // Streams keeps its members in the group on close (a restart then takes its tasks back without
    // a rebalance); a stopped analyzer instead hands its partitions over now, not after the
    // session timeout during which they would not be analyzed
    if (streams != null) streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(CLOSE_BOUND));
    if (resolver != null) resolver.close();
    if (dnsAnswers != null) {
      try {
        dnsAnswers.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
