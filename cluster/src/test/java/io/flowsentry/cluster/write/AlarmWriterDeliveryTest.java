package io.flowsentry.cluster.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.delivery.AlarmDeliveries;
import io.flowsentry.analyzer.delivery.Rsyslogd;
import io.flowsentry.analyzer.delivery.SyslogConfig;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alarm-writer role delivers to a real rsyslog on loopback as one node does (outputs.syslog),
 * each enforced alarm once across a restart of the writer, a shadow alarm never.
 */
class AlarmWriterDeliveryTest {
  private static final String TOPIC = "flowsentry.alarms.v1";
  private static final Pattern ORIG_P = Pattern.compile("orig_p=\"(\\d+)\"");
  private final EventCodec codec = new EventCodec(CommunityId.DEFAULT_SEED);
  @TempDir Path dir;

  @Test
  void eachAlarmReachesSyslogOnceAcrossARestartAndAShadowOneNever() throws Exception {
    int tcpPort = Rsyslogd.freeTcpPort();
    try (KafkaBroker broker = KafkaBroker.start(Files.createDirectories(dir.resolve("kafka")));
        Rsyslogd rsyslogd = new Rsyslogd(Files.createDirectories(dir.resolve("rsyslog")), """
            global(workDirectory="%%1$s")
            module(load="imtcp")
            input(type="imtcp" address="127.0.0.1" port="%1$d" ruleset="received")
            """.formatted(tcpPort) + Rsyslogd.RECEIVED_RULESET, tcpPort)) {
      broker.createTopics(Map.of(TOPIC, 2));
      KafkaConfig kafka = new KafkaConfig(List.of(broker.bootstrapServers()), null, Map.of(), null);
      OutputsConfig outputs = new OutputsConfig(dir.resolve("log").toString(), null, null, null, null,
          new SyslogConfig("127.0.0.1", tcpPort, "tcp", "local3", "notice", 100), null, null);
      Path logs = dir.resolve("log");
      try (KafkaProducer<String, byte[]> producer = producer(broker)) {
        produce(producer, 40001, PolicyMode.ENFORCE);
        produce(producer, 40002, PolicyMode.SHADOW);
        produce(producer, 40003, PolicyMode.ENFORCE);
        runWriterUntil(kafka, outputs, logs, 2);
        produce(producer, 40004, PolicyMode.ENFORCE);
        runWriterUntil(kafka, outputs, logs, 3); // the restart resumes at its saved offsets
      }
      List<String> received = rsyslogd.lines(3, 30_000);
      Set<Integer> ports = new HashSet<>();
      for (String line : received) {
        Matcher m = ORIG_P.matcher(line);
        assertTrue(m.find(), line);
        ports.add(Integer.parseInt(m.group(1)));
      }
      assertEquals(Set.of(40001, 40003, 40004), ports, "enforced alarms, each once: " + received);
      assertEquals(3, received.size(), "no alarm delivered twice: " + received);
      assertEquals(3, Files.readAllLines(logs.resolve("alarms.log")).size());
      assertEquals(4, Files.readAllLines(logs.resolve("p.log")).size(), "the shadow alarm is in its policy's log");
    }
  }

  /** Starts a writer from its state, waits until alarms.log has {@code lines}, stops it as SIGTERM does. */
  private void runWriterUntil(KafkaConfig kafka, OutputsConfig outputs, Path logs, int lines) throws Exception {
    AlarmFormat format = AlarmFormat.defaults();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AlarmLogWriter writer = new AlarmLogWriter(kafka, outputs, Files.createDirectories(dir.resolve("state")), format,
        AlarmDeliveries.configured(outputs, format, registry), registry);
    try {
      writer.start();
      Path file = logs.resolve("alarms.log");
      for (int i = 0; i < 300 && (!Files.exists(file) || Files.readAllLines(file).size() < lines); i++) Thread.sleep(100);
      assertEquals(lines, Files.readAllLines(file).size(), "alarms.log within 30 s; " + writer.failure());
    } finally {
      writer.close();
    }
  }

  private void produce(KafkaProducer<String, byte[]> producer, int origP, PolicyMode mode) throws Exception {
    ConnectionEvent e = ConnectionEvent.builder().tsMicros(1_225_743_661_000_000L + origP).origH("192.168.4.7").origP(origP)
        .respH("203.0.113.9").respP(443).proto(6).build();
    Alarm a = new Alarm("p", "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection", e,
        Duration.ofSeconds(60), null, mode);
    String id = "alarm-" + origP;
    producer.send(new ProducerRecord<>(TOPIC, id, AlarmCodec.encode(id, a, null, 0, codec))).get(30, TimeUnit.SECONDS);
  }

  private static KafkaProducer<String, byte[]> producer(KafkaBroker broker) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
        new StringSerializer(), new ByteArraySerializer());
  }
}
