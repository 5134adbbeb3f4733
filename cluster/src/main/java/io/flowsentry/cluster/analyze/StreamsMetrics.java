package io.flowsentry.cluster.analyze;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * An analyzer's group life in flowsentry's names: {@code flowsentry_cluster_rebalances_total}
 * (this instance entering REBALANCING), {@code flowsentry_cluster_restore_seconds_total} and
 * {@code flowsentry_cluster_restored_records_total} (suppression tables read back from their
 * changelog when a partition arrives), and {@code flowsentry_cluster_consumer_lag{partition}}
 * (records of the flows topic not yet analyzed, per partition this instance owns; partitions are
 * configured, so the label is bounded).
 */
public final class StreamsMetrics implements StateRestoreListener {
  private final MeterRegistry registry;
  private final String flowsTopic;
  private final LongAdder rebalances = new LongAdder();
  private final LongAdder restoreNanos = new LongAdder();
  private final LongAdder restored = new LongAdder();
  private final Map<TopicPartition, Long> restoreStarted = new ConcurrentHashMap<>();
  private final Map<Integer, AtomicLong> lag = new ConcurrentHashMap<>();

  public StreamsMetrics(MeterRegistry registry, String flowsTopic) {
    this.registry = registry;
    this.flowsTopic = flowsTopic;
    FunctionCounter.builder("flowsentry.cluster.rebalances", rebalances, LongAdder::doubleValue)
        .description("Times this analyzer's Streams group rebalanced").register(registry);
    FunctionCounter.builder("flowsentry.cluster.restore.seconds", restoreNanos, a -> a.doubleValue() / 1e9)
        .description("Time spent restoring suppression tables from their changelog").register(registry);
    FunctionCounter.builder("flowsentry.cluster.restored.records", restored, LongAdder::doubleValue)
        .description("Changelog records read to restore suppression tables").register(registry);
  }

  /** Counts rebalances and hooks the restore listener; call before {@link KafkaStreams#start()}. */
  public void bind(KafkaStreams streams) {
    streams.setStateListener((next, before) -> {
      if (next == KafkaStreams.State.REBALANCING) rebalances.increment();
    });
    streams.setGlobalStateRestoreListener(this);
  }

  /** Reads the consumers' {@code records-lag} of the flows topic into the per-partition gauges. */
  public void refreshLag(KafkaStreams streams) {
    Map<Integer, Long> now = new java.util.HashMap<>();
    for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
      MetricName n = e.getKey();
      if (!"records-lag".equals(n.name()) || !"consumer-fetch-manager-metrics".equals(n.group())) continue;
      if (!flowsTopic.equals(n.tags().get("topic"))) continue;
      Object v = e.getValue().metricValue();
      if (!(v instanceof Number num) || Double.isNaN(num.doubleValue())) continue;
      now.merge(Integer.parseInt(n.tags().get("partition")), num.longValue(), Long::sum);
    }
    now.forEach((p, v) -> lag.computeIfAbsent(p, k -> {
      AtomicLong a = new AtomicLong();
      Gauge.builder("flowsentry.cluster.consumer.lag", a, AtomicLong::get).tag("partition", String.valueOf(k))
          .description("Records of the flows topic not yet analyzed, per partition this analyzer owns").register(registry);
      return a;
    }).set(v));
    // a partition that moved away lags nothing here
    lag.forEach((p, a) -> {
      if (!now.containsKey(p)) a.set(0);
    });
  }

  @Override
  public void onRestoreStart(TopicPartition tp, String store, long startingOffset, long endingOffset) {
    restoreStarted.put(tp, System.nanoTime());
  }

  @Override
  public void onBatchRestored(TopicPartition tp, String store, long batchEndOffset, long numRestored) {
    restored.add(numRestored);
  }

  @Override
  public void onRestoreEnd(TopicPartition tp, String store, long totalRestored) {
    Long start = restoreStarted.remove(tp);
    if (start != null) restoreNanos.add(System.nanoTime() - start);
  }
}
