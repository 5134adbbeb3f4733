package io.flowsentry.cluster.publish;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A collector's publishing, in Prometheus names: {@code flowsentry_cluster_published_total},
 * {@code flowsentry_cluster_publish_dropped_total{reason}} (every reason exists from start at 0),
 * {@code flowsentry_cluster_produce_errors_total} and the gauge
 * {@code flowsentry_cluster_publish_buffered}. Every event handed to the publisher ends in exactly
 * one of published, dropped, or (for now) buffered.
 */
final class PublisherMetrics {
  /** Why an event handed to the publisher did not reach Kafka. */
  enum DropReason {
    /** The bound on buffered events was reached (the broker is away or slower than the input). */
    BUFFER_FULL("buffer_full"),
    /** The producer gave up on it: delivery.timeout.ms passed, or the broker refused it for good. */
    DELIVERY_FAILED("delivery_failed"),
    /** Handed over after the publisher was closed (shutdown). */
    CLOSED("closed");

    final String label;

    DropReason(String label) {
      this.label = label;
    }
  }

  final LongAdder published = new LongAdder();
  final LongAdder[] dropped = new LongAdder[DropReason.values().length];
  final Counter produceErrors;
  final AtomicLong buffered = new AtomicLong();

  PublisherMetrics(MeterRegistry registry) {
    FunctionCounter.builder("flowsentry.cluster.published", published, LongAdder::doubleValue)
        .description("Connection events Kafka acknowledged (acks=all)").register(registry);
    for (DropReason r : DropReason.values()) {
      LongAdder a = new LongAdder();
      dropped[r.ordinal()] = a;
      FunctionCounter.builder("flowsentry.cluster.publish.dropped", a, LongAdder::doubleValue)
          .description("Connection events that did not reach Kafka, by reason").tag("reason", r.label).register(registry);
    }
    produceErrors = Counter.builder("flowsentry.cluster.produce.errors")
        .description("Failed produce attempts reported by the Kafka producer (each drops its record)").register(registry);
    Gauge.builder("flowsentry.cluster.publish.buffered", buffered, AtomicLong::get)
        .description("Connection events accepted and not yet acknowledged by Kafka").register(registry);
  }

  void drop(DropReason r) {
    dropped[r.ordinal()].increment();
  }

  long dropped(DropReason r) {
    return dropped[r.ordinal()].sum();
  }

  long droppedTotal() {
    long n = 0;
    for (LongAdder a : dropped) n += a.sum();
    return n;
  }
}
