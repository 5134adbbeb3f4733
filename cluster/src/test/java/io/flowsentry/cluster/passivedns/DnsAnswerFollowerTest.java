package io.flowsentry.cluster.passivedns;

import static io.flowsentry.analyzer.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.passivedns.PassiveDnsConfig;
import io.flowsentry.analyzer.passivedns.PassiveDnsTable;
import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.publish.EventPublisher;
import io.flowsentry.cluster.testing.KafkaBroker;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.dns.DnsAnswers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker: answers a collector published before the analyzer started are all learned
 * before {@link DnsAnswerFollower#awaitCaughtUp} returns, later ones as they come, and a record
 * that is no answer is counted and skipped without losing the ones after it.
 */
class DnsAnswerFollowerTest {
  private static final long T0 = 1_225_743_661_000_000L;
  @TempDir Path dir;

  private static DnsAnswers answer(int i) {
    return new DnsAnswers(T0 + i, IpAddr.parse("10.0." + (i / 256) + "." + (i % 256)), "host" + i + ".example.com",
        List.of(new DnsAnswers.Resolved(IpAddr.parse("203.0.113." + (i % 250)), 3_600_000_000L)));
  }

  @Test
  void learnsWhatWasAnsweredBeforeItStartedThenWhatComes() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      broker.createTopics(Map.of("flowsentry.dns.v1", 3));
      KafkaConfig kafka = new KafkaConfig(List.of(broker.bootstrapServers()), "flowsentry", Map.of(), null);
      EventPublisher publisher = new EventPublisher(kafka, new EventCodec(CommunityId.DEFAULT_SEED), new SimpleMeterRegistry());
      for (int i = 0; i < 2_000; i++) publisher.onDnsAnswers(answer(i));
      publisher.persist(); // all acknowledged
      try (var raw = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", broker.bootstrapServers()),
          new ByteArraySerializer(), new ByteArraySerializer())) {
        raw.send(new ProducerRecord<>("flowsentry.dns.v1", 0, new byte[] {1}, new byte[] {(byte) 0xff, 7})).get();
      }
      publisher.onDnsAnswers(answer(2_000));
      publisher.persist();

      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      PassiveDnsTable table = new PassiveDnsTable(PassiveDnsConfig.defaults(), registry);
      DnsAnswerFollower follower = new DnsAnswerFollower(kafka, table::learn, registry, Clock.systemUTC());
      follower.start();
      try {
        assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(60)), "caught up");
        for (int i : new int[] {0, 1_999, 2_000}) {
          DnsAnswers a = answer(i);
          assertEquals(a.query(), table.nameFor(a.client(), a.addresses().get(0).address(), a.tsMicros()), "answer " + i);
        }
        assertEquals(1.0, registry.get("flowsentry.cluster.records.malformed").tag("topic", "dns").counter().count());
        publisher.onDnsAnswers(answer(2_001));
        DnsAnswers late = answer(2_001);
        await("an answer published after the start", Duration.ofSeconds(30),
            () -> late.query().equals(table.nameFor(late.client(), late.addresses().get(0).address(), late.tsMicros())));
      } finally {
        follower.close();
        publisher.close();
      }
    }
  }

  @Test
  void aTopicThatDoesNotExistHasNothingToCatchUpOn() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir)) {
      KafkaConfig kafka = new KafkaConfig(List.of(broker.bootstrapServers()), "nothing-here", Map.of(), null);
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      DnsAnswerFollower follower = new DnsAnswerFollower(kafka, a -> {}, registry, Clock.systemUTC());
      follower.start();
      try {
        assertTrue(follower.awaitCaughtUp(Duration.ofSeconds(60)));
      } finally {
        follower.close();
      }
    }
  }
}
