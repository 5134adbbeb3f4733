package io.flowsentry.cluster.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * YAML {@code cluster.kafka}.
 *
 * @param bootstrapServers brokers to start from, {@code host:port} each (names allowed: Kafka resolves them)
 * @param topicPrefix topics are {@code <prefix>.flows.v1}, {@code <prefix>.dns.v1} and {@code <prefix>.alarms.v1}; the
 *     analyzers' Streams application id is {@code <prefix>-analyzer}
 * @param properties Kafka client properties passed through unchanged to every producer, consumer
 *     and Streams instance (TLS, SASL, timeouts: as Kafka documents them)
 * @param maxBufferedEvents events a collector holds while the broker does not take them; beyond
 *     it new events are dropped and counted ({@code flowsentry_cluster_publish_dropped_total{reason="buffer_full"}})
 */
public record KafkaConfig(
    @JsonProperty("bootstrap_servers") List<String> bootstrapServers,
    @JsonProperty("topic_prefix") String topicPrefix,
    @JsonProperty("properties") Map<String, String> properties,
    @JsonProperty("max_buffered_events") Integer maxBufferedEvents) {

  public static final int MAX_BUFFERED_EVENTS = 10_000_000;
  // Kafka's own rule for topic names (Topic.LEGAL_CHARS), less the dot that separates our suffixes
  private static final Pattern PREFIX = Pattern.compile("[a-zA-Z0-9_-]{1,200}");
  private static final Pattern HOST_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[a-zA-Z0-9._-]+):(\\d{1,5})");
  /**
   * Properties flowsentry sets itself because its promises rest on them (where the published
   * events go, how they are encoded, exactly-once); a pass-through value would break them.
   */
  static final Set<String> OWNED_PROPERTIES = Set.of("bootstrap.servers", "key.serializer", "value.serializer",
      "key.deserializer", "value.deserializer", "enable.idempotence", "acks", "processing.guarantee",
      "application.id", "isolation.level", "enable.auto.commit", "group.id", "transactional.id");

  public KafkaConfig {
    bootstrapServers = bootstrapServers == null ? List.of() : List.copyOf(bootstrapServers);
    topicPrefix = topicPrefix == null ? "flowsentry" : topicPrefix;
    properties = properties == null ? Map.of() : new LinkedHashMap<>(properties);
    maxBufferedEvents = maxBufferedEvents == null ? 100_000 : maxBufferedEvents;
  }

  public Topics topics() {
    return new Topics(topicPrefix);
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    if (bootstrapServers.isEmpty()) {
      problems.add(keyPrefix + ".bootstrap_servers: [] (expected: at least one broker as host:port)");
    }
    for (int i = 0; i < bootstrapServers.size(); i++) {
      String s = bootstrapServers.get(i);
      var m = s == null ? null : HOST_PORT.matcher(s.strip());
      if (m == null || !m.matches() || Integer.parseInt(m.group(2)) > 65535 || Integer.parseInt(m.group(2)) == 0) {
        problems.add(problem(keyPrefix + ".bootstrap_servers[" + i + "]", s, "host:port, port 1-65535 (IPv6 in brackets)"));
      }
    }
    if (!PREFIX.matcher(topicPrefix).matches()) {
      problems.add(problem(keyPrefix + ".topic_prefix", topicPrefix, "1-200 of a-z A-Z 0-9 _ -"));
    }
    properties.forEach((k, v) -> {
      if (OWNED_PROPERTIES.contains(k)) {
        problems.add(problem(keyPrefix + ".properties." + k, v,
            "not set here: flowsentry sets " + k + " itself (bootstrap servers from bootstrap_servers, the rest for its delivery guarantees)"));
      } else if (v == null) {
        problems.add(keyPrefix + ".properties." + k + ": null (expected: a value)");
      }
    });
    if (maxBufferedEvents < 1 || maxBufferedEvents > MAX_BUFFERED_EVENTS) {
      problems.add(problem(keyPrefix + ".max_buffered_events", maxBufferedEvents, "1.." + MAX_BUFFERED_EVENTS));
    }
    return problems;
  }

  /** The pass-through properties with the bootstrap servers, the base of every client's configuration. */
  public Map<String, Object> clientProperties() {
    Map<String, Object> p = new LinkedHashMap<>(properties);
    p.put("bootstrap.servers", String.join(",", bootstrapServers));
    return p;
  }

  private static String problem(String key, Object value, String expected) {
    String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return key + ": " + shown + " (expected: " + expected + ")";
  }
}
