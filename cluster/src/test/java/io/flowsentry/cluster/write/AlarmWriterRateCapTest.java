package io.flowsentry.cluster.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.cluster.config.KafkaConfig;
import io.flowsentry.cluster.testing.KafkaBroker;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker: a policy's max_alarms_per_minute holds for the whole group, whichever partitions
 * (analyzers) its alarms come from, and across a restart of the writer (the caps are in its state):
 * a minute's alarms beyond the cap become one summary line, none of them written, none twice.
 */
class AlarmWriterRateCapTest {
  private static final String TOPIC = "flowsentry.alarms.v1";
  private static final long MINUTE_0 = 1_764_547_200_000_000L;
  private final EventCodec codec = new EventCodec(CommunityId.DEFAULT_SEED);
  @TempDir Path dir;

  @Test
  void theCapHoldsAcrossPartitionsAndARestart() throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            broker.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
      broker.createTopics(Map.of(TOPIC, 2));
      KafkaConfig kafka = new KafkaConfig(List.of(broker.bootstrapServers()), null, Map.of(), null);
      OutputsConfig outputs = new OutputsConfig(dir.resolve("log").toString(), null, null, null, null, null, null, null);
      Path alarms = dir.resolve("log/alarms.log");
      // cap 2: in minute 0 four alarms from both partitions; the writer stops after the first two
      for (int i = 0; i < 4; i++) produce(producer, i % 2, 10 + i, 40_000 + i);
      runWriterUntil(kafka, outputs, alarms, 2, 2);
      // two more of minute 0: the cap is still used up after the restart
      produce(producer, 0, 20, 40_010);
      produce(producer, 1, 21, 40_011);
      runWriterUntil(kafka, outputs, alarms, 2, 2);
      // minute 1 ends minute 0: its alarm and the summary of the four over the cap
      produce(producer, 1, 70, 40_012);
      runWriterUntil(kafka, outputs, alarms, 4, 0);
      List<String> lines = Files.readAllLines(alarms);
      assertEquals(3, lines.stream().filter(l -> l.contains("UnexpectedOutgoingConnection")).count(), lines.toString());
      List<String> summaries = lines.stream().filter(l -> l.contains("AlarmsSummarized")).toList();
      assertEquals(1, summaries.size(), lines.toString());
      assertTrue(summaries.get(0).contains("4 more alarms for policy p in the last minute (max_alarms_per_minute: 2)"), summaries.toString());
    }
  }

  /**
   * Starts a writer from its state, waits until alarms.log has {@code lines} and this run counted
   * {@code summarized} alarms over the cap (and a moment for more), stops it.
   */
  private void runWriterUntil(KafkaConfig kafka, OutputsConfig outputs, Path file, int lines, int summarized) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AlarmLogWriter writer = new AlarmLogWriter(kafka, outputs, Files.createDirectories(dir.resolve("state")), AlarmFormat.defaults(),
        List.of(), registry);
    try {
      writer.start();
      for (int i = 0; i < 300 && (!Files.exists(file) || Files.readAllLines(file).size() < lines
          || summarized(registry) < summarized); i++) {
        Thread.sleep(100);
      }
      Thread.sleep(1_500); // anything beyond the expected lines would be written now
      assertEquals(lines, Files.readAllLines(file).size(), "alarms.log; " + writer.failure() + ": " + Files.readAllLines(file));
      assertEquals(summarized, summarized(registry), "alarms over the cap in this run");
    } finally {
      writer.close();
    }
  }

  private static double summarized(SimpleMeterRegistry registry) {
    var c = registry.find("flowsentry.alarms.summarized").tag("policy", "p").counter();
    return c == null ? 0 : c.count();
  }

  private void produce(KafkaProducer<String, byte[]> producer, int partition, int second, int origP) throws Exception {
    ConnectionEvent e = ConnectionEvent.builder().tsMicros(MINUTE_0 + second * 1_000_000L).origH("192.168.4.7").origP(origP)
        .respH("203.0.113.9").respP(origP).proto(6).build();
    Alarm a = new Alarm("p", "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection", e,
        Duration.ofSeconds(60), null, PolicyMode.ENFORCE);
    String id = "alarm-" + origP;
    producer.send(new ProducerRecord<>(TOPIC, partition, id, AlarmCodec.encode(id, a, null, 2, codec))).get(30, TimeUnit.SECONDS);
  }
}
