package io.flowsentry.cluster.analyze;

import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.collector.event.EventSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the analyzer role counts, under the single node's names where the meaning is the same
 * ({@code flowsentry_events_total{source}}, {@code flowsentry_suppressed_total{policy}}) and
 * {@code flowsentry_cluster_*} for what only a cluster has. Policies are few (configured), so
 * the per-policy maps stay small.
 */
public final class AnalyzerMetrics {
  private final MeterRegistry registry;
  private final Counter[] events = new Counter[EventSource.values().length];
  private final Counter malformed;
  private final Map<PolicyMode, Counter> raised = new EnumMap<>(PolicyMode.class);
  private final Map<String, Counter> suppressed = new ConcurrentHashMap<>();

  public AnalyzerMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (EventSource s : EventSource.values()) {
      events[s.ordinal()] = Counter.builder("flowsentry.events").description("Connection events analyzed")
          .tag("source", s.label()).register(registry);
    }
    malformed = Counter.builder("flowsentry.cluster.records.malformed").tag("topic", "flows")
        .description("Records of the flows topic that are not a v1 connection event (skipped)").register(registry);
    for (PolicyMode m : PolicyMode.values()) {
      raised.put(m, Counter.builder("flowsentry.cluster.alarms.produced").tag("mode", m.label())
          .description("Alarms the analyzer produced to the alarms topic (written by the alarm writer)").register(registry));
    }
  }

  void event(EventSource s) {
    events[s.ordinal()].increment();
  }

  void malformed() {
    malformed.increment();
  }

  void alarm(PolicyMode mode) {
    raised.get(mode).increment();
  }

  void suppressed(String policy) {
    suppressed.computeIfAbsent(policy, p -> Counter.builder("flowsentry.suppressed")
        .description("Events inside a suppression window").tag("policy", p).register(registry)).increment();
  }

  /** Makes the per-policy series exist at 0 from start (dashboards and alert rules work before the first event). */
  public void expect(String policy) {
    suppressed.computeIfAbsent(policy, p -> Counter.builder("flowsentry.suppressed")
        .description("Events inside a suppression window").tag("policy", p).register(registry));
  }
}
