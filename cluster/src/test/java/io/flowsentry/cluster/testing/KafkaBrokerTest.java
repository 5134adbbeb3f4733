package io.flowsentry.cluster.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture itself: a real broker process that keeps its records across a stop and a restart. */
class KafkaBrokerTest {
  @TempDir Path dir;

  @Test
  void keepsRecordsAcrossARestart() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      broker.createTopics(Map.of("t", 2));
      produce(broker, "before");
      broker.stop();
      assertFalse(broker.isRunning());
      broker.restart();
      assertTrue(broker.isRunning());
      produce(broker, "after");
      assertEquals(List.of("after", "before"), consumeAll(broker, 2).stream().sorted().toList());
    }
  }

  private static void produce(KafkaBroker broker, String value) throws Exception {
    try (var p = new KafkaProducer<String, String>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
      p.send(new ProducerRecord<>("t", "k", value)).get(30, TimeUnit.SECONDS);
    }
  }

  private static List<String> consumeAll(KafkaBroker broker, int n) {
    try (var c = new KafkaConsumer<String, String>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        broker.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "g", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of("t"));
      List<String> out = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (out.size() < n && System.nanoTime() < deadline) {
        c.poll(Duration.ofMillis(500)).forEach(r -> out.add(r.value()));
      }
      return out;
    }
  }
}
