package io.flowsentry.app.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every metric name the dashboard and the alert rules may use, kept in this one place. A name
 * that is not here is a typo or a metric the daemon does not export; it/prometheus/check.sh then
 * proves against a real Prometheus that the daemon exports them.
 */
final class KnownMetrics {
  /**
   * ARCHITECTURE.md "Metrics": the contract Grafana and the alert rules depend on, and every
   * flowsentry metric the daemon exports (KnownMetricsTest keeps the two lists one).
   */
  static final Set<String> CONTRACT = Set.of(
      "flowsentry_packets_received_total",
      "flowsentry_flow_records_total",
      "flowsentry_decode_errors_total",
      "flowsentry_templates",
      "flowsentry_sequence_gaps_total",
      "flowsentry_zeek_lines_total",
      "flowsentry_zeek_parse_errors_total",
      "flowsentry_zeek_lag_seconds",
      "flowsentry_events_total",
      "flowsentry_alarms_total",
      "flowsentry_suppressed_total",
      "flowsentry_suppression_entries",
      "flowsentry_pending_sets",
      "flowsentry_enterprise_elements_skipped_total",
      "flowsentry_packets_dropped_total",
      "flowsentry_socket_drops_total",
      "flowsentry_zeek_files_followed",
      "flowsentry_alarm_queue_dropped_total",
      "flowsentry_alarm_write_errors_total",
      "flowsentry_dns_failures_total");

  /**
   * Metrics added since, under ARCHITECTURE.md's rule for new ones ("cluster, delivery, passive
   * DNS, sFlow follow the same naming and bounded-label rules"): the dashboard shows them, and
   * check.sh proves against a real Prometheus that the daemon exports them.
   */
  static final Set<String> ADDED = Set.of(
      "flowsentry_alarm_deliveries_total",
      "flowsentry_alarm_delivery_queue",
      "flowsentry_alarm_delivery_errors_total",
      "flowsentry_passive_dns_entries",
      "flowsentry_passive_dns_answers_total",
      "flowsentry_sflow_samples_total",
      "flowsentry_sflow_samples_lost_total",
      "flowsentry_sflow_samples_dropped_total",
      "flowsentry_cluster_published_total",
      "flowsentry_cluster_publish_dropped_total",
      "flowsentry_cluster_produce_errors_total",
      "flowsentry_cluster_publish_buffered",
      "flowsentry_cluster_consumer_lag",
      "flowsentry_cluster_alarms_produced_total",
      "flowsentry_cluster_rebalances_total",
      "flowsentry_cluster_restored_records_total",
      "flowsentry_cluster_records_malformed_total",
      "flowsentry_cluster_restore_seconds_total");

  /** Micrometer's JVM and process binders, as its Prometheus registry names them. */
  static final Set<String> JVM = Set.of(
      "jvm_memory_used_bytes",
      "jvm_memory_committed_bytes",
      "jvm_memory_max_bytes",
      "jvm_gc_pause_seconds_count",
      "jvm_gc_pause_seconds_sum",
      "jvm_gc_pause_seconds_max",
      "jvm_gc_memory_allocated_bytes_total",
      "jvm_gc_live_data_size_bytes",
      "jvm_threads_live_threads",
      "process_cpu_usage",
      "system_cpu_usage",
      "process_uptime_seconds");

  /** Written by Prometheus itself for every scrape target. */
  static final Set<String> PROMETHEUS = Set.of("up", "scrape_duration_seconds", "scrape_samples_scraped");

  private KnownMetrics() {}

  /** Fails naming every expression (by where it is) that uses a metric not listed here. */
  static void assertOnlyKnown(Map<String, String> expressionsByPlace) {
    Set<String> known = all();
    List<String> problems = new ArrayList<>();
    expressionsByPlace.forEach((where, expr) -> Promql.metricNames(expr).stream()
        .filter(name -> !known.contains(name))
        .forEach(name -> problems.add(where + ": unknown metric " + name)));
    OpsFiles.assertNoProblems("metric names (KnownMetrics lists the known ones)", problems);
  }

  static Set<String> all() {
    Set<String> all = new TreeSet<>(CONTRACT);
    all.addAll(ADDED);
    all.addAll(JVM);
    all.addAll(PROMETHEUS);
    return all;
  }
}
