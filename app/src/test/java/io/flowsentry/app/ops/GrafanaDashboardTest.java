package io.flowsentry.app.ops;

import static io.flowsentry.app.ops.OpsFiles.assertNoProblems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** grafana/dashboards/flowsentry.json as a current Grafana dashboard (schema 36-41). */
class GrafanaDashboardTest {
  static final String DASHBOARD = "grafana/dashboards/flowsentry.json";
  private static final int GRID_COLUMNS = 24;
  /** Grafana's own variables that panels may use without defining them. */
  private static final Set<String> BUILT_IN = Set.of("__rate_interval", "__interval", "__interval_ms", "__range",
      "__range_s", "__range_ms", "__from", "__to", "__dashboard", "__name");

  private final JsonNode dashboard = OpsFiles.json(DASHBOARD);

  /** Every panel, the panels of collapsed rows included. */
  static List<JsonNode> panels(JsonNode dashboard) {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      out.add(panel);
      panel.path("panels").forEach(out::add);
    }
    return out;
  }

  /** Every PromQL expression of the dashboard: panel targets and variable queries. */
  static Map<String, String> expressions(JsonNode dashboard) {
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode panel : panels(dashboard)) {
      for (JsonNode target : panel.path("targets")) {
        out.put("panel '" + panel.path("title").asText() + "' " + target.path("refId").asText(), target.path("expr").asText());
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("type").asText().equals("query")) {
        String query = variable.path("query").path("query").asText();
        out.put("variable " + variable.path("name").asText(), query.replaceFirst("^label_values\\((.*),\\s*\\w+\\)$", "$1"));
      }
    }
    return out;
  }

  @Test
  void isACurrentDashboard() {
    int schema = dashboard.path("schemaVersion").asInt();
    assertTrue(schema >= 36 && schema <= 41, "schemaVersion " + schema + " (expected: 36-41, Grafana 9.5-12)");
    assertFalse(dashboard.path("uid").asText().isBlank(), "uid");
    assertFalse(dashboard.path("title").asText().isBlank(), "title");
    assertTrue(dashboard.path("id").isNull(), "id must be null so Grafana assigns one on import");
    assertTrue(dashboard.path("panels").isArray() && !dashboard.path("panels").isEmpty(), "panels");
    assertTrue(dashboard.path("templating").path("list").isArray(), "templating.list");
  }

  @Test
  void panelIdsAreUnique() {
    Set<Integer> seen = new HashSet<>();
    List<String> problems = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      if (!panel.path("id").isInt() || !seen.add(panel.path("id").asInt())) {
        problems.add("panel '" + panel.path("title").asText() + "': id " + panel.path("id") + " (expected: a unique integer)");
      }
    }
    assertNoProblems("panel ids", problems);
  }

  @Test
  void gridPositionsFitTheGridAndDoNotOverlap() {
    List<String> problems = new ArrayList<>();
    Map<String, String> occupied = new LinkedHashMap<>();
    for (JsonNode panel : dashboard.path("panels")) {
      JsonNode pos = panel.path("gridPos");
      String title = panel.path("title").asText();
      int x = pos.path("x").asInt(-1), y = pos.path("y").asInt(-1), w = pos.path("w").asInt(0), h = pos.path("h").asInt(0);
      if (x < 0 || y < 0 || w < 1 || h < 1 || x + w > GRID_COLUMNS) {
        problems.add("'" + title + "': gridPos " + pos + " (expected: x,y >= 0, w,h >= 1, x+w <= " + GRID_COLUMNS + ")");
        continue;
      }
      for (int row = y; row < y + h; row++) {
        for (int column = x; column < x + w; column++) {
          String other = occupied.putIfAbsent(row + "," + column, title);
          if (other != null) {
            problems.add("'" + title + "' overlaps '" + other + "' at x=" + column + " y=" + row);
            row = y + h;
            break;
          }
        }
      }
    }
    assertNoProblems("grid", problems);
  }

  @Test
  void everyPanelQueriesTheSelectedPrometheus() {
    List<String> problems = new ArrayList<>();
    for (JsonNode panel : panels(dashboard)) {
      String title = "'" + panel.path("title").asText() + "'";
      if (panel.path("type").asText().equals("row")) {
        if (panel.path("gridPos").path("w").asInt() != GRID_COLUMNS) problems.add(title + ": a row spans all 24 columns");
        continue;
      }
      if (panel.path("type").asText().isBlank()) problems.add(title + ": no type");
      if (panel.path("title").asText().isBlank()) problems.add("panel " + panel.path("id") + ": no title");
      if (!isSelectedPrometheus(panel.path("datasource"))) problems.add(title + ": datasource " + panel.path("datasource"));
      if (!panel.path("targets").isArray() || panel.path("targets").isEmpty()) problems.add(title + ": no targets");
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        String ref = target.path("refId").asText();
        if (ref.isBlank() || !refIds.add(ref)) problems.add(title + ": refId '" + ref + "' (expected: unique in the panel)");
        if (target.path("expr").asText().isBlank()) problems.add(title + " " + ref + ": no expr");
        if (target.has("datasource") && !isSelectedPrometheus(target.path("datasource"))) {
          problems.add(title + " " + ref + ": datasource " + target.path("datasource"));
        }
      }
    }
    assertNoProblems("panels", problems);
  }

  @Test
  void offersDatasourceExporterAndPolicyVariables() {
    Map<String, JsonNode> variables = variables();
    assertEquals(List.of("datasource", "instance", "exporter", "policy"), List.copyOf(variables.keySet()));
    JsonNode datasource = variables.get("datasource");
    assertEquals("datasource", datasource.path("type").asText());
    assertEquals("prometheus", datasource.path("query").asText());
    for (String name : List.of("instance", "exporter", "policy")) {
      JsonNode variable = variables.get(name);
      assertEquals("query", variable.path("type").asText(), name);
      assertTrue(isSelectedPrometheus(variable.path("datasource")), name + " datasource");
      assertTrue(variable.path("query").path("query").asText().matches("label_values\\(.+,\\s*" + name + "\\)"),
          name + ": " + variable.path("query"));
      assertEquals(".*", variable.path("allValue").asText(), name + ": 'All' must select every value, even new ones");
    }
  }

  @Test
  void everyVariableUsedIsDefinedBeforeUse() {
    List<String> defined = new ArrayList<>(variables().keySet());
    List<String> problems = new ArrayList<>();
    collectStrings(dashboard.path("panels"), "panels", (where, text) -> Promql.variables(text).stream()
        .filter(v -> !defined.contains(v) && !BUILT_IN.contains(v))
        .forEach(v -> problems.add(where + ": $" + v + " is not a dashboard variable")));
    for (int i = 0; i < defined.size(); i++) {
      List<String> earlier = defined.subList(0, i);
      String name = defined.get(i);
      collectStrings(dashboard.path("templating").path("list").get(i), "variable " + name, (where, text) ->
          Promql.variables(text).stream().filter(v -> !earlier.contains(v))
              .forEach(v -> problems.add(where + ": $" + v + " is not defined before " + name)));
    }
    assertNoProblems("variables", problems);
  }

  @Test
  void usesOnlyKnownMetrics() {
    KnownMetrics.assertOnlyKnown(expressions(dashboard));
  }

  @Test
  void showsEveryFlowsentryMetricAndTheJvm() {
    Set<String> shown = new TreeSet<>();
    expressions(dashboard).values().forEach(expr -> shown.addAll(Promql.metricNames(expr)));
    Set<String> expected = new TreeSet<>(KnownMetrics.CONTRACT);
    expected.addAll(KnownMetrics.ADDED);
    expected.addAll(List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds_sum"));
    expected.removeAll(shown);
    assertTrue(expected.isEmpty(), "the dashboard does not show " + expected);
  }

  private Map<String, JsonNode> variables() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    dashboard.path("templating").path("list").forEach(v -> out.put(v.path("name").asText(), v));
    return out;
  }

  private static boolean isSelectedPrometheus(JsonNode datasource) {
    return datasource.path("type").asText().equals("prometheus") && datasource.path("uid").asText().equals("${datasource}");
  }

  private static void collectStrings(JsonNode node, String where, java.util.function.BiConsumer<String, String> visitor) {
    if (node.isTextual()) {
      visitor.accept(where, node.asText());
    } else if (node.isObject()) {
      node.properties().forEach(e -> collectStrings(e.getValue(), where + "." + e.getKey(), visitor));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectStrings(node.get(i), where + "[" + i + "]", visitor);
      }
    }
  }
}
