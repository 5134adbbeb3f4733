package io.flowsentry.cluster.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * YAML {@code cluster}: how the roles of a flowsentry cluster find each other. Absent (the
 * default) means a single node: {@code flowsentry run} is the daemon of one process and nothing
 * of this module runs.
 *
 * @param kafka the Kafka cluster the roles exchange events and alarms through; null = no cluster
 */
public record ClusterConfig(@JsonProperty("kafka") KafkaConfig kafka) {

  public static ClusterConfig defaults() {
    return new ClusterConfig(null);
  }

  /** Whether a cluster is configured (the {@code run --role} options need one). */
  public boolean enabled() {
    return kafka != null;
  }

  public List<String> validate(String keyPrefix) {
    return kafka == null ? List.of() : kafka.validate(keyPrefix + ".kafka");
  }
}
