package io.flowsentry.cluster.passivedns;

import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.wire.DnsCodec;
import io.flowsentry.cluster.wire.MalformedRecordException;
import io.flowsentry.collector.logging.RateLimitedLog;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds an analyzer's passive DNS table from {@code <prefix>.dns.v1}: every partition, from its
 * beginning, on a thread of its own. Every analyzer reads every answer, because the names a
 * policy needs are not tied to one flows partition: an allowed_domains exception asks what the
 * originator resolved (its own query), notice.log's resp_name falls back to what any client
 * resolved to the responder. The table is the single node's ({@code PassiveDnsTable}), bounded
 * the same way (site.passive_dns), and judged in event time: an answer is valid from its query's
 * time, whenever it is read. The topic's retention bounds what a starting analyzer reads again.
 *
 * <p>No consumer group: nothing is committed, each analyzer keeps the whole history it needs in
 * memory and rebuilds it at start. {@link #awaitCaughtUp} lets the analyzer take partitions only
 * once it knows what was answered before it started, as a single node reads dns.log alongside.
 */
public final class DnsAnswerFollower implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DnsAnswerFollower.class);
  /** How often the partitions of the topic are looked up again (a topic created late, partitions added). */
  private static final Duration REASSIGN_EVERY = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration LIST_BOUND = Duration.ofSeconds(30);

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Consumer<DnsAnswers> learn;
  private final Counter malformed;
  private final RateLimitedLog malformedLog;
  private final RateLimitedLog failureLog;
  private final Clock wall;
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean closed;

  public DnsAnswerFollower(KafkaConfig config, Consumer<DnsAnswers> learn, MeterRegistry registry, Clock wall) {
    this.topic = config.topics().dns();
    this.learn = learn;
    this.wall = wall;
    Map<String, Object> p = config.clientProperties();
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "flowsentry-analyzer-dns");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.malformed = Counter.builder("flowsentry.cluster.records.malformed").tag("topic", "dns")
        .description("Records of a cluster topic that are not v1 records: skipped and logged (rate-limited)").register(registry);
    this.malformedLog = new RateLimitedLog(wall, Duration.ofMinutes(1), 1);
    this.failureLog = new RateLimitedLog(wall, Duration.ofMinutes(1), 1);
    this.thread = Thread.ofPlatform().name("dns-answers").daemon(true).unstarted(this::run);
  }

  public void start() {
    thread.start();
  }

  /** Whether every answer published before the start has been learned, waiting at most {@code bound}. */
  public boolean awaitCaughtUp(Duration bound) throws InterruptedException {
    return caughtUp.await(bound.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void run() {
    Map<TopicPartition, Long> ends = null;
    long nextAssign = 0;
    try {
      while (!closed) {
        try {
          if (wall.millis() >= nextAssign) {
            nextAssign = wall.millis() + REASSIGN_EVERY.toMillis();
            Map<TopicPartition, Long> assigned = assign();
            if (ends == null) {
              ends = assigned; // what was there at the start: caught up once read to here
              if (assigned.isEmpty()) {
                log.warn("analyzer: topic {} does not exist (yet): no dns.log answers; looking again every {} s",
                    topic, REASSIGN_EVERY.toSeconds());
              }
            }
          }
          if (caughtUp.getCount() > 0 && reached(ends)) {
            caughtUp.countDown();
            log.info("analyzer: dns.log answers of {} read up to where they were at start", topic);
          }
          if (consumer.assignment().isEmpty()) Thread.sleep(POLL.toMillis()); // poll() refuses without partitions
          else for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) learn(r);
        } catch (WakeupException e) {
          throw e;
        } catch (KafkaException e) {
          if (closed) return;
          // the broker away (a listing or offsets request timed out): the client reconnects by itself
          if (failureLog.permit(0) >= 0) log.warn("analyzer: reading dns.log answers from {}: {}; retrying", topic, e.toString());
          Thread.sleep(1_000);
          nextAssign = 0;
        }
      }
    } catch (WakeupException | InterruptedException e) {
      if (!closed) log.error("analyzer: reading dns.log answers from {} stopped: {}", topic, e.toString());
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Assigns every partition the topic has now (new ones from their beginning); their end offsets. */
  private Map<TopicPartition, Long> assign() {
    // listTopics first: partitionsFor waits out default.api.timeout.ms for a topic that does not exist
    var info = consumer.listTopics(LIST_BOUND).get(topic);
    List<TopicPartition> partitions = info == null ? List.of()
        : info.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
    if (partitions.isEmpty() || consumer.assignment().containsAll(partitions)) return consumer.endOffsets(partitions);
    List<TopicPartition> added = partitions.stream().filter(tp -> !consumer.assignment().contains(tp)).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(added);
    return consumer.endOffsets(partitions);
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    if (ends == null) return false;
    for (var e : ends.entrySet()) if (consumer.position(e.getKey()) < e.getValue()) return false;
    return true;
  }

  private void learn(ConsumerRecord<byte[], byte[]> r) {
    try {
      learn.accept(DnsCodec.decode(r.value() == null ? new byte[0] : r.value()));
    } catch (MalformedRecordException e) {
      malformed.increment();
      long notShown = malformedLog.permit(0);
      if (notShown >= 0) {
        log.warn("analyzer: skipped a record of {}-{}@{} that is not a dns.log answer: {}{}", r.topic(), r.partition(), r.offset(),
            e.getMessage(), notShown > 0 ? " (" + notShown + " more in the last minute)" : "");
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    if (thread.isAlive()) {
      consumer.wakeup(); // only the reading thread closes the consumer
      thread.interrupt(); // when it sleeps instead of polling
    }
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }
}
