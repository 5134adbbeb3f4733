package io.flowsentry.cluster.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaConfigTest {
  @Test
  void defaultsNameTheTopics() {
    KafkaConfig c = new KafkaConfig(List.of("127.0.0.1:9092"), null, null, null);
    assertEquals(List.of(), c.validate("cluster.kafka"));
    assertEquals("flowsentry.flows.v1", c.topics().flows());
    assertEquals("flowsentry.alarms.v1", c.topics().alarms());
    assertEquals("flowsentry-analyzer", c.topics().analyzerApplicationId());
    assertEquals(100_000, c.maxBufferedEvents());
  }

  @Test
  void reportsEveryProblemWithItsKey() {
    KafkaConfig c = new KafkaConfig(List.of("kafka-1:9092", "[::1]:9093", "nohost", "h:0"), "a.b",
        Map.of("acks", "1"), 0);
    assertEquals(List.of(
        "cluster.kafka.bootstrap_servers[2]: \"nohost\" (expected: host:port, port 1-65535 (IPv6 in brackets))",
        "cluster.kafka.bootstrap_servers[3]: \"h:0\" (expected: host:port, port 1-65535 (IPv6 in brackets))",
        "cluster.kafka.topic_prefix: \"a.b\" (expected: 1-200 of a-z A-Z 0-9 _ -)",
        "cluster.kafka.properties.acks: \"1\" (expected: not set here: flowsentry sets acks itself (bootstrap servers from"
            + " bootstrap_servers, the rest for its delivery guarantees))",
        "cluster.kafka.max_buffered_events: 0 (expected: 1..10000000)"), c.validate("cluster.kafka"));
  }

  @Test
  void anEmptyServerListIsAProblem() {
    assertEquals(List.of("cluster.kafka.bootstrap_servers: [] (expected: at least one broker as host:port)"),
        new KafkaConfig(null, null, null, null).validate("cluster.kafka"));
  }

  @Test
  void passesPropertiesThroughWithTheServers() {
    KafkaConfig c = new KafkaConfig(List.of("a:1", "b:2"), null, Map.of("security.protocol", "SSL"), null);
    assertEquals(Map.of("security.protocol", "SSL", "bootstrap.servers", "a:1,b:2"), c.clientProperties());
  }
}
