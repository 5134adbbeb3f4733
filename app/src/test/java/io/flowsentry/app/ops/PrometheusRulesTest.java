package io.flowsentry.app.ops;

import static io.flowsentry.app.ops.OpsFiles.assertNoProblems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docker/prometheus.yml and docker/alerts.yml (promtool checks them in it/prometheus/check.sh). */
class PrometheusRulesTest {
  static final String RULES = "docker/alerts.yml";
  private static final Set<String> SEVERITIES = Set.of("critical", "warning", "notice");
  /** What the issue asks the alerts to catch, and the metric that shows it. */
  private static final Map<String, String> CONCERNS = Map.of(
      "exporter went silent", "flowsentry_packets_received_total",
      "decode errors rising", "flowsentry_decode_errors_total",
      "sequence gaps", "flowsentry_sequence_gaps_total",
      "Zeek reader lagging", "flowsentry_zeek_lag_seconds",
      "Zeek reader stuck", "flowsentry_zeek_lines_total",
      "alarms firing", "flowsentry_alarms_total",
      "kernel drops", "flowsentry_socket_drops_total");

  private final JsonNode prometheus = OpsFiles.yaml("docker/prometheus.yml");

  static Map<String, JsonNode> alerts() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode group : OpsFiles.yaml(RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        JsonNode previous = out.put(rule.path("alert").asText(), rule);
        assertTrue(previous == null, "alert " + rule.path("alert").asText() + " defined twice");
      }
    }
    return out;
  }

  @Test
  void loadsRuleFilesThatExist() {
    List<String> rules = OpsFiles.texts(prometheus.path("rule_files"));
    assertEquals(List.of("alerts.yml"), rules);
    rules.forEach(r -> assertTrue(Files.isRegularFile(OpsFiles.path("docker").resolve(r)), r));
  }

  @Test
  void scrapesTheFlowsentryServiceOnItsMetricsPort() {
    int metricsPort = ShippedConfig.load(ContainerConfigTest.CONTAINER_CONFIG).metricsPort();
    List<String> targets = new ArrayList<>();
    for (JsonNode job : prometheus.path("scrape_configs")) {
      if (job.path("job_name").asText().equals("flowsentry")) {
        job.path("static_configs").forEach(sc -> targets.addAll(OpsFiles.texts(sc.path("targets"))));
      }
    }
    assertEquals(List.of("flowsentry:" + metricsPort), targets, "job flowsentry (the alerts select job=\"flowsentry\")");
    assertTrue(new Compose().service("flowsentry").isObject(), "flowsentry is a compose service");
  }

  @Test
  void everyAlertCanBeRoutedAndExplainsItself() {
    List<String> problems = new ArrayList<>();
    alerts().forEach((name, rule) -> {
      if (!name.matches("Flowsentry[A-Z][A-Za-z]+")) problems.add(name + ": name (expected: FlowsentryCamelCase)");
      if (!SEVERITIES.contains(rule.path("labels").path("severity").asText())) problems.add(name + ": labels.severity " + rule.path("labels").path("severity") + " (expected: one of " + SEVERITIES + ")");
      for (String annotation : List.of("summary", "description")) {
        if (rule.path("annotations").path(annotation).asText().isBlank()) problems.add(name + ": annotations." + annotation + " missing");
      }
      if (rule.has("for") && !rule.path("for").asText().matches("\\d+[smh]")) problems.add(name + ": for " + rule.path("for"));
    });
    assertNoProblems(RULES, problems);
  }

  @Test
  void usesOnlyKnownMetrics() {
    Map<String, String> expressions = new LinkedHashMap<>();
    alerts().forEach((name, rule) -> expressions.put("alert " + name, rule.path("expr").asText()));
    KnownMetrics.assertOnlyKnown(expressions);
  }

  @Test
  void coversWhatTheIssueAsksFor() {
    Set<String> watched = new HashSet<>();
    alerts().values().forEach(rule -> watched.addAll(Promql.metricNames(rule.path("expr").asText())));
    Set<String> missing = new TreeSet<>();
    CONCERNS.forEach((concern, metric) -> {
      if (!watched.contains(metric)) missing.add(concern + " (" + metric + ")");
    });
    assertTrue(missing.isEmpty(), "no alert for " + missing);
  }

  @Test
  void deployGuideExplainsEveryAlert() {
    String guide = OpsFiles.text(OpsFiles.path("docs/deploy.md"));
    Set<String> unexplained = new TreeSet<>(alerts().keySet());
    unexplained.removeIf(name -> guide.contains("### " + name));
    assertTrue(unexplained.isEmpty(), "docs/deploy.md has no '### <alert>' section for " + unexplained);
  }
}
