package io.flowsentry.cluster.publish;

import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.wire.DnsCodec;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.cluster.wire.FlowKey;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector role's hand-off to Kafka: events from the receiving threads (Netty event loops,
 * Zeek tailers) to {@code <prefix>.flows.v1}, keyed by {@link FlowKey}, and dns.log answers to
 * {@code <prefix>.dns.v1}.
 *
 * <p>The receiving thread never blocks: {@link #onEvent} encodes the event and offers it to a
 * bounded queue, and one sender thread hands the queue to the producer, which may block (metadata
 * while the broker is away, a full accumulator). The bound ({@code max_buffered_events}) counts
 * every event accepted and not yet acknowledged, in the queue and in the producer alike; beyond
 * it new events are dropped and counted. The producer is idempotent with {@code acks=all}, so its
 * own retries neither lose nor duplicate a record; it retries for {@code delivery.timeout.ms}
 * (default 2 min), which is how long an outage may last before buffered events are dropped as
 * {@code delivery_failed}. Nothing needs a restart when the broker returns: the producer
 * reconnects and the queue drains.
 */
public final class EventPublisher implements EventHandler, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);
  /** How long {@link #persist} waits for the events handed over so far to be acknowledged. */
  static final Duration PERSIST_BOUND = Duration.ofSeconds(30);
  private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);
  private static final int SEND_BATCH = 512;

  private final String topic;
  private final String dnsTopic;
  private final EventCodec codec;
  private final long bound;
  private final ArrayBlockingQueue<ProducerRecord<byte[], byte[]>> queue;
  private final Producer<byte[], byte[]> producer;
  private final PublisherMetrics metrics;
  private final Thread sender;
  private final Callback completion = this::completed;
  /** Set while events are being dropped; the first drop of an outage logs, the first delivery after it logs again. */
  private final AtomicBoolean dropping = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile boolean closed;
  private final Object persistLock = new Object();
  private long droppedAtLastPersist;

  public EventPublisher(KafkaConfig config, EventCodec codec, MeterRegistry registry) {
    this(config, codec, registry, new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(),
        new ByteArraySerializer()));
  }

  EventPublisher(KafkaConfig config, EventCodec codec, MeterRegistry registry, Producer<byte[], byte[]> producer) {
    this.topic = config.topics().flows();
    this.dnsTopic = config.topics().dns();
    this.codec = codec;
    this.bound = config.maxBufferedEvents();
    this.queue = new ArrayBlockingQueue<>(config.maxBufferedEvents());
    this.producer = producer;
    this.metrics = new PublisherMetrics(registry);
    this.sender = Thread.ofPlatform().name("kafka-publisher").daemon(true).unstarted(this::sendLoop);
    sender.start();
  }

  /** The pass-through properties with what the delivery promise needs: idempotence, acks from all in-sync replicas. */
  static Map<String, Object> producerProperties(KafkaConfig config) {
    Map<String, Object> p = config.clientProperties();
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "flowsentry-collector");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 10);
    return p;
  }

  @Override
  public void onEvent(ConnectionEvent e) {
    if (reserve()) enqueue(new ProducerRecord<>(topic, FlowKey.of(e), codec.encode(e)));
  }

  /**
   * One answered dns.log line to {@code <prefix>.dns.v1}, keyed by its client, through the same
   * bound, queue and producer as the events (a dns.log tailer's checkpoint waits for it as for
   * events, in {@link #persist}).
   */
  public void onDnsAnswers(DnsAnswers a) {
    if (reserve()) enqueue(new ProducerRecord<>(dnsTopic, a.client().toBytes(), DnsCodec.encode(a)));
  }

  /** Reserves a place first: the bound covers the queue and the producer's accumulator together. */
  private boolean reserve() {
    if (closed) {
      metrics.drop(PublisherMetrics.DropReason.CLOSED);
      return false;
    }
    if (metrics.buffered.incrementAndGet() > bound) {
      metrics.buffered.decrementAndGet();
      dropped(PublisherMetrics.DropReason.BUFFER_FULL);
      return false;
    }
    return true;
  }

  private void enqueue(ProducerRecord<byte[], byte[]> record) {
    if (!queue.offer(record)) { // cannot happen while the reservation holds; counted rather than assumed
      metrics.buffered.decrementAndGet();
      dropped(PublisherMetrics.DropReason.BUFFER_FULL);
    }
  }

  private void dropped(PublisherMetrics.DropReason reason) {
    metrics.drop(reason);
    if (dropping.compareAndSet(false, true)) {
      log.warn("cluster: dropping connection events ({}): {} are waiting for Kafka at {}, the bound"
          + " (cluster.kafka.max_buffered_events); counted in flowsentry_cluster_publish_dropped_total{reason=\"{}\"};"
          + " logged again when delivery resumes", reason.label, metrics.buffered.get(), topic, reason.label);
    }
  }

  private void sendLoop() {
    List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>(SEND_BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        ProducerRecord<byte[], byte[]> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, SEND_BATCH - 1);
        for (ProducerRecord<byte[], byte[]> r : batch) send(r);
        batch.clear();
      } catch (InterruptedException e) {
        // close() interrupts only after its bound: what is left is dropped and counted there
        for (int i = 0; i < batch.size(); i++) completedWithoutSend();
        return;
      }
    }
  }

  private void send(ProducerRecord<byte[], byte[]> r) {
    try {
      producer.send(r, completion);
    } catch (RuntimeException e) {
      // send() itself fails when metadata does not come within max.block.ms (broker away) or on a fatal producer state
      completed(null, e);
    }
  }

  private void completedWithoutSend() {
    metrics.buffered.decrementAndGet();
    metrics.drop(PublisherMetrics.DropReason.CLOSED);
  }

  /** Producer callback (its I/O thread): every accepted event passes here exactly once. */
  private void completed(RecordMetadata metadata, Exception e) {
    metrics.buffered.decrementAndGet();
    if (e == null) {
      metrics.published.increment();
      if (dropping.compareAndSet(true, false) | failing.compareAndSet(true, false)) {
        log.info("cluster: Kafka takes connection events again ({}); dropped so far: {}", topic, metrics.droppedTotal());
      }
      return;
    }
    metrics.produceErrors.increment();
    metrics.drop(PublisherMetrics.DropReason.DELIVERY_FAILED);
    if (failing.compareAndSet(false, true)) {
      log.warn("cluster: Kafka did not take a connection event for {}: {}; counted in"
          + " flowsentry_cluster_produce_errors_total and flowsentry_cluster_publish_dropped_total{reason=\"delivery_failed\"};"
          + " logged again when delivery resumes", topic, e.toString());
    }
  }

  /** Events accepted and not yet acknowledged (the {@code flowsentry_cluster_publish_buffered} gauge). */
  public long buffered() {
    return metrics.buffered.get();
  }

  public long published() {
    return metrics.published.sum();
  }

  public long dropped() {
    return metrics.droppedTotal();
  }

  /**
   * Waits (at most {@link #PERSIST_BOUND}) until Kafka acknowledged every event handed over so
   * far; a Zeek tailer calls it before its checkpoint, so a checkpoint never covers a line whose
   * event is not in Kafka. Fails when events were dropped since the last successful call (the
   * tailer then keeps its older checkpoint and a restart reads those lines again; the analyzers'
   * suppression makes a repeated event alarm at most once).
   */
  @Override
  public void persist() throws IOException {
    synchronized (persistLock) {
      long deadline = System.nanoTime() + PERSIST_BOUND.toNanos();
      try {
        while (!queue.isEmpty()) {
          if (System.nanoTime() > deadline) throw new IOException("Kafka did not take the events queued for " + topic + " within " + PERSIST_BOUND.toSeconds() + " s");
          Thread.sleep(20);
        }
        // returns when every record handed to the producer so far has completed, which each does
        // within delivery.timeout.ms (acknowledged or failed)
        producer.flush();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted while waiting for Kafka to acknowledge events");
      }
      long dropped = metrics.droppedTotal();
      if (dropped != droppedAtLastPersist) {
        long lost = dropped - droppedAtLastPersist;
        droppedAtLastPersist = dropped;
        throw new IOException(lost + " connection events were dropped on their way to " + topic + " since the last checkpoint");
      }
    }
  }

  /** Sends what is buffered (bounded by {@link #CLOSE_BOUND}), then closes the producer; what is left is dropped and counted. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    sender.join(CLOSE_BOUND.toMillis());
    if (sender.isAlive()) {
      sender.interrupt();
      sender.join(CLOSE_BOUND.toMillis());
    }
    for (ProducerRecord<byte[], byte[]> left; (left = queue.poll()) != null; ) completedWithoutSend();
    producer.close(CLOSE_BOUND); // records still unacknowledged fail through the callback: counted there
  }
}
