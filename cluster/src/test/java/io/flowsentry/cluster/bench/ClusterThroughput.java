package io.flowsentry.cluster.bench;

import io.flowsentry.analyzer.alarm.ResponderNames;
import com.sun.management.OperatingSystemMXBean;
import io.flowsentry.analyzer.alarm.AlarmWriter;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.core.AnalysisEngine;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicy;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.cluster.analyze.AnalyzerMetrics;
import io.flowsentry.cluster.analyze.AnalyzerTopology;
import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.publish.EventPublisher;
import io.flowsentry.cluster.testing.KafkaBroker;
import io.flowsentry.cluster.testing.RepeatingTraffic;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.collector.event.ConnectionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;

/**
 * bench/cluster.sh's measurement (not a test): on this machine, with a real single-node broker
 * process, records/s of collector → Kafka (EventPublisher, acks=all, idempotent) and of Kafka →
 * analyzer (the Streams topology, exactly_once_v2) with 1 and 2 analyzer instances, and the
 * single node's analyzer on the same events in the same run; each with the CPU seconds it cost
 * (this JVM and the broker process apart), so that a per-core figure can be given.
 *
 * <p>Usage: {@code ClusterThroughput EVENTS WORKDIR}
 */
public final class ClusterThroughput {
  private static final long BOUND_SECONDS = 600;

  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Path work = Files.createDirectories(Path.of(args[1]));
    List<ConnectionEvent> events = RepeatingTraffic.events(n, 1);
    PoliciesConfig policies = new PoliciesConfig(List.of(new RestrictedOutgoingPolicyConfig("restricted-outgoing",
        List.of("192.168.4.0/24"), "60s", null, null, null, null, null, 0L, null, null)));
    SiteConfig site = SiteConfig.defaults();

    single(events, site, policies, work);
    try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(work.resolve("kafka")))) {
      broker.createTopics(Map.of("bench.flows.v1", 4, "bench.alarms.v1", 4));
      KafkaConfig kafka = new KafkaConfig(List.of(broker.bootstrapServers()), "bench", Map.of(), n);
      publish(events, kafka, site, broker);
      for (int instances : new int[] {1, 2}) analyze(n, instances, kafka, site, policies, work, broker);
    }
  }

  private static void single(List<ConnectionEvent> events, SiteConfig site, PoliciesConfig policies, Path work) throws Exception {
    OutputsConfig out = new OutputsConfig(work.resolve("single").toString(), null, null, null, null, null, null, null);
    AnalysisEngine engine = new AnalysisEngine(site, policies, out, null, AlarmWriter.Overflow.BLOCK, Clock.systemUTC(),
        new SimpleMeterRegistry());
    Measure m = Measure.start(null);
    for (ConnectionEvent e : events) engine.onEvent(e);
    engine.close();
    m.report("single node: analyze (AnalysisEngine, one thread)", events.size());
  }

  private static void publish(List<ConnectionEvent> events, KafkaConfig kafka, SiteConfig site, KafkaBroker broker) throws Exception {
    EventPublisher p = new EventPublisher(kafka, new EventCodec(site.communityId()), new SimpleMeterRegistry());
    Measure m = Measure.start(broker);
    for (ConnectionEvent e : events) p.onEvent(e);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (p.published() + p.dropped() < events.size() && System.nanoTime() < deadline) Thread.sleep(5);
    m.report("collector -> Kafka (EventPublisher; " + p.dropped() + " dropped)", p.published());
    p.close();
  }

  private static void analyze(int n, int instances, KafkaConfig base, SiteConfig site, PoliciesConfig policies, Path work,
      KafkaBroker broker) throws Exception {
    // a fresh application id per run: each reads the topic from its beginning
    KafkaConfig kafka = new KafkaConfig(base.bootstrapServers(), "bench", Map.of("auto.offset.reset", "earliest"), n);
    List<RestrictedOutgoingPolicy> compiled = RestrictedOutgoingPolicy.compileAll(site, policies, name -> PrefixSet.empty());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AnalyzerMetrics metrics = new AnalyzerMetrics(registry);
    List<KafkaStreams> all = new ArrayList<>();
    Measure m = Measure.start(broker);
    for (int i = 0; i < instances; i++) {
      var props = AnalyzerTopology.streamsProperties(kafka, work.resolve("analyzer-" + instances + "-" + i));
      props.put("application.id", "bench-analyzer-" + instances);
      KafkaStreams s = new KafkaStreams(AnalyzerTopology.build(kafka.topics(), () -> compiled, ResponderNames.NONE, new EventCodec(site.communityId()),
          metrics, Clock.systemUTC()), props);
      s.start();
      all.add(s);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
    while (events(registry) < n && System.nanoTime() < deadline) Thread.sleep(5);
    m.report("Kafka -> analyzer (" + instances + " Streams instance" + (instances == 1 ? "" : "s")
        + ", exactly_once_v2, start-up included)", (long) events(registry));
    for (KafkaStreams s : all) s.close(Duration.ofSeconds(20));
  }

  private static double events(SimpleMeterRegistry r) {
    return r.find("flowsentry.events").counters().stream().mapToDouble(c -> c.count()).sum();
  }

  /** Wall time and CPU time of this JVM and of the broker process over one step. */
  private record Measure(long wall, long cpu, long brokerCpu, KafkaBroker broker) {
    static Measure start(KafkaBroker broker) {
      return new Measure(System.nanoTime(), processCpu(), broker == null ? 0 : broker.cpuNanos(), broker);
    }

    void report(String what, long records) {
      double seconds = (System.nanoTime() - wall) / 1e9;
      double cpuSeconds = (processCpu() - cpu) / 1e9;
      double brokerSeconds = broker == null ? 0 : (broker.cpuNanos() - brokerCpu) / 1e9;
      System.out.printf("%-80s %9d records %7.2f s %10.0f records/s | cpu: flowsentry %6.2f s (%8.0f records/cpu-s), broker %6.2f s%n",
          what, records, seconds, records / seconds, cpuSeconds, records / cpuSeconds, brokerSeconds);
    }

    private static long processCpu() {
      return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
  }
}
