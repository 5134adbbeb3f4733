package io.flowsentry.cluster.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.testing.KafkaBroker;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.loadgen.SyntheticFlows;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outcome 4 of issue 16 against a real broker: stopped for 30 s under load and started again,
 * the collector's publisher never blocks its caller, stays within its bound, counts every event
 * it drops, and delivers again without a restart. Every event offered ends as published or
 * dropped, and Kafka holds exactly the published ones, each once.
 */
class BrokerOutageTest {
  private static final String TOPIC = "flowsentry.flows.v1";
  private static final int BOUND = 20_000;
  private static final int EVENTS_PER_SECOND = 2_000;

  @TempDir Path dir;

  @Test
  void aThirtySecondOutageCostsCountedDropsAndNothingElse() throws Exception {
    SyntheticFlows flows = new SyntheticFlows(5_000, 16, Cidr.parse("192.168.4.0/24"), Cidr.parse("198.51.100.0/24"));
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      broker.createTopics(Map.of(TOPIC, 4));
      KafkaConfig config = new KafkaConfig(List.of(broker.bootstrapServers()), "flowsentry",
          Map.of("reconnect.backoff.max.ms", "1000", "max.block.ms", "5000"), BOUND);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      EventPublisher publisher = new EventPublisher(config, new EventCodec(CommunityId.DEFAULT_SEED), registry);
      Load load = new Load(publisher, flows);
      List<String> waitsInPublisher = new java.util.ArrayList<>();
      Thread receiver = Thread.ofPlatform().name("receiver").start(load);
      try {
        await(() -> publisher.published() > 5_000, 60, "deliveries before the outage");
        broker.stop();
        long outageStart = load.offered.get();
        sleepWatchingBound(publisher, Duration.ofSeconds(30), receiver, waitsInPublisher);
        assertTrue(load.offered.get() - outageStart > BOUND, "the load went on during the outage: " + (load.offered.get() - outageStart));
        broker.restart();
        long afterRestart = load.offered.get();
        await(() -> publisher.published() > afterRestart - BOUND, 120, "deliveries after the restart");
        sleepWatchingBound(publisher, Duration.ofSeconds(3), receiver, waitsInPublisher);
      } finally {
        load.stop.set(true);
        receiver.join(10_000);
      }
      await(() -> publisher.buffered() == 0, 120, "the buffer drained");
      long offered = load.offered.get();
      publisher.close();

      // not a wall-clock bound (a loaded machine stalls any thread now and then): the receiving
      // thread was never seen parked, waiting or sleeping inside the publisher or the Kafka client
      assertEquals(List.of(), waitsInPublisher, "the receiving thread waited inside the publisher");
      System.out.printf("slowest onEvent call: %.1f ms; offered %d, published %d, dropped %d%n",
          load.slowestCallNanos.get() / 1e6, offered, publisher.published(), publisher.dropped());
      long full = (long) registry.get("flowsentry.cluster.publish.dropped").tag("reason", "buffer_full").functionCounter().count();
      long failed = (long) registry.get("flowsentry.cluster.publish.dropped").tag("reason", "delivery_failed").functionCounter().count();
      assertTrue(full > 0, "a 30 s outage at " + EVENTS_PER_SECOND + "/s must fill a bound of " + BOUND);
      assertEquals(offered, publisher.published() + publisher.dropped(),
          "every event offered is published or dropped (buffer_full " + full + ", delivery_failed " + failed + ")");
      Set<Long> inKafka = consumeAll(broker, publisher.published());
      assertEquals(publisher.published(), inKafka.size(), "Kafka holds each published event once");
      assertTrue(inKafka.contains(offered - 1), "the last event offered after the outage was delivered");
    }
  }

  /** The receiving thread: events at a steady rate, timing every hand-off. */
  private static final class Load implements Runnable {
    final EventPublisher publisher;
    final SyntheticFlows flows;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong offered = new AtomicLong();
    final AtomicLong slowestCallNanos = new AtomicLong();

    Load(EventPublisher publisher, SyntheticFlows flows) {
      this.publisher = publisher;
      this.flows = flows;
    }

    @Override
    public void run() {
      long start = System.nanoTime();
      // bounded: stop is set by the test, and at most 10 minutes of load in any case
      while (!stop.get() && System.nanoTime() - start < TimeUnit.MINUTES.toNanos(10)) {
        long n = offered.get();
        long due = start + n * 1_000_000_000L / EVENTS_PER_SECOND;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        int i = (int) (n % flows.size());
        // ts carries the sequence number, so the consumer can tell which events arrived
        ConnectionEvent e = ConnectionEvent.builder().tsMicros(n).origH(IpAddr.ofV4(flows.src(i))).origP(flows.srcPort(i))
            .respH(IpAddr.ofV4(flows.dst(i))).respP(flows.dstPort(i)).proto(flows.protocol(i))
            .origPkts(flows.packets(i)).origIpBytes(flows.octets(i)).source(EventSource.NETFLOW9).exporter("127.0.0.1").build();
        long t0 = System.nanoTime();
        publisher.onEvent(e);
        long took = System.nanoTime() - t0;
        slowestCallNanos.accumulateAndGet(took, Math::max);
        offered.incrementAndGet();
      }
    }
  }

  /** Samples the bound and the receiving thread's stack every 20 ms for {@code d}. */
  private static void sleepWatchingBound(EventPublisher publisher, Duration d, Thread receiver, List<String> waits)
      throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (System.nanoTime() < end) {
      assertTrue(publisher.buffered() <= BOUND, "buffered " + publisher.buffered() + " > bound " + BOUND);
      String wait = waitInPublisher(receiver.getStackTrace());
      if (wait != null && waits.size() < 10) waits.add(wait);
      Thread.sleep(20);
    }
  }

  /** The frames, when the thread is parked, waiting or sleeping with the publisher or Kafka's client below it; else null. */
  static String waitInPublisher(StackTraceElement[] stack) {
    if (stack.length == 0) return null;
    String top = stack[0].getClassName() + "." + stack[0].getMethodName();
    boolean waiting = top.startsWith("jdk.internal.misc.Unsafe.park") || top.equals("java.lang.Object.wait0")
        || top.equals("java.lang.Object.wait") || top.startsWith("java.lang.Thread.sleep");
    if (!waiting) return null;
    for (StackTraceElement f : stack) {
      if (f.getClassName().equals(Load.class.getName())) return null; // the load's own pacing sleep
      if (f.getClassName().startsWith("io.flowsentry.cluster.publish.EventPublisher") || f.getClassName().startsWith("org.apache.kafka")) {
        return java.util.Arrays.toString(java.util.Arrays.copyOf(stack, Math.min(stack.length, 8)));
      }
    }
    return null;
  }

  private static void await(java.util.function.BooleanSupplier condition, long seconds, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + seconds + " s: " + what);
      Thread.sleep(50);
    }
  }

  private static Set<Long> consumeAll(KafkaBroker broker, long expected) throws Exception {
    Set<Long> seen = new HashSet<>();
    long records = 0;
    try (var c = new KafkaConsumer<byte[], byte[]>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "check", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      long idleSince = System.nanoTime();
      while (System.nanoTime() < deadline) {
        var batch = c.poll(Duration.ofMillis(500));
        for (var r : batch) {
          records++;
          seen.add(EventCodec.decode(r.value()).tsMicros());
        }
        if (!batch.isEmpty()) idleSince = System.nanoTime();
        else if (records >= expected && System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(3)) break;
      }
    }
    assertEquals(seen.size(), records, "no event twice in Kafka");
    return seen;
  }
}
