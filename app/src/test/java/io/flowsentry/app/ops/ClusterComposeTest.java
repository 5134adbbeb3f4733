package io.flowsentry.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowsentry.app.config.ConfigLoader;
import io.flowsentry.app.config.FlowsentryConfig;
import io.flowsentry.app.roles.ClusterNode;
import io.flowsentry.app.roles.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * docker/docker-compose.cluster.yml, checked as far as a machine without a Docker engine allows:
 * a KRaft Kafka, the topics the roles use, two collectors, two analyzers and one alarm writer,
 * each running {@code run --role} on a configuration file of the repository that loads, fits its
 * role and points at the compose broker.
 */
class ClusterComposeTest {
  private static final String FILE = "docker/docker-compose.cluster.yml";
  private final JsonNode root = OpsFiles.yaml(FILE);

  @Test
  void everyRoleRunsTheRepositorysConfigurationAgainstTheComposeBroker() throws Exception {
    Map<String, Integer> roles = new TreeMap<>();
    for (var it = root.path("services").fields(); it.hasNext(); ) {
      var service = it.next();
      List<String> command = OpsFiles.texts(service.getValue().path("command"));
      if (command.size() < 2 || !command.get(0).equals("run")) continue;
      assertEquals("--role", command.get(1), service.getKey() + ": " + command);
      Role role = Role.parseList(command.get(2)).iterator().next();
      roles.merge(role.label(), 1, Integer::sum);
      String inContainer = command.get(command.indexOf("-c") + 1);
      String mounted = null;
      for (JsonNode v : service.getValue().path("volumes")) {
        String[] parts = v.asText().split(":");
        if (parts.length >= 2 && parts[1].equals(inContainer)) mounted = parts[0];
      }
      assertTrue(mounted != null, service.getKey() + " does not mount " + inContainer);
      FlowsentryConfig c = ConfigLoader.load(OpsFiles.path("docker/" + mounted));
      assertEquals(List.of(), ClusterNode.problems(java.util.Set.of(role), c), service.getKey());
      assertEquals(List.of("kafka:9092"), c.cluster().kafka().bootstrapServers(), service.getKey());
      assertEquals("service_completed_successfully",
          service.getValue().path("depends_on").path("kafka-topics").path("condition").asText(), service.getKey());
    }
    assertEquals(Map.of("alarm-writer", 1, "analyzer", 2, "collector", 2), roles);
  }

  @Test
  void kafkaIsKraftAndTheTopicsAreTheRolesTopics() {
    JsonNode env = root.path("services").path("kafka").path("environment");
    assertEquals("broker,controller", env.path("KAFKA_PROCESS_ROLES").asText());
    assertTrue(env.path("KAFKA_ADVERTISED_LISTENERS").asText().contains("kafka:9092"));
    String init = String.join(" ", OpsFiles.texts(root.path("services").path("kafka-topics").path("command")));
    List<String> missing = new ArrayList<>();
    for (String topic : List.of("flowsentry.flows.v1", "flowsentry.dns.v1", "flowsentry.alarms.v1")) if (!init.contains("--topic " + topic)) missing.add(topic);
    assertEquals(List.of(), missing, "kafka-topics creates the topics");
  }

  @Test
  void prometheusScrapesEveryRole() {
    JsonNode prometheus = OpsFiles.yaml("docker/cluster/prometheus.yml");
    List<String> targets = new ArrayList<>();
    prometheus.path("scrape_configs").forEach(job -> job.path("static_configs").forEach(s -> targets.addAll(OpsFiles.texts(s.path("targets")))));
    List<String> expected = new ArrayList<>();
    root.path("services").fieldNames().forEachRemaining(name -> {
      if (OpsFiles.texts(root.path("services").path(name).path("command")).contains("--role")) expected.add(name + ":9464");
    });
    expected.sort(null);
    targets.sort(null);
    assertEquals(expected, targets);
  }
}
