package io.flowsentry.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromqlTest {

  @Test
  void namesMetricsNotFunctionsLabelsOrKeywords() {
    assertEquals(List.of("flowsentry_zeek_lines_total", "flowsentry_zeek_files_followed"), List.copyOf(Promql.metricNames(
        "sum by (instance, file) (rate(flowsentry_zeek_lines_total{file=~\"a|b\"}[15m])) == 0"
            + " and on (instance) group_left (file) sum without (le) (flowsentry_zeek_files_followed) > 0")));
  }

  @Test
  void skipsRangesSubqueriesOffsetsAndAggregationsWithTrailingGrouping() {
    assertEquals(Set.of("a_total", "b"), Promql.metricNames(
        "sum(rate(a_total{x!=\"y\"}[5m:1m] offset 1h)) by (x) / ignoring(z) b > bool 1e3"));
  }

  @Test
  void readsGrafanaVariablesInEveryForm() {
    assertEquals(Set.of("instance", "exporter", "__rate_interval", "policy"), Promql.variables(
        "rate(x{instance=~\"$instance\",exporter=~\"${exporter:regex}\"}[$__rate_interval]) [[policy]]"));
    assertEquals(Set.of("x"), Promql.metricNames("rate(x{instance=~\"$instance\"}[$__rate_interval])"));
  }

  @Test
  void rejectsWhatItCannotLex() {
    assertThrows(IllegalArgumentException.class, () -> Promql.metricNames("rate(x[5m]) # comment"));
    assertThrows(IllegalArgumentException.class, () -> Promql.metricNames("sum by (x"));
  }
}
