package io.flowsentry.app.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class KnownMetricsTest {

  @Test
  void contractIsExactlyTheArchitecturesMetrics() {
    String architecture = OpsFiles.text(OpsFiles.shared("design/ARCHITECTURE.md"));
    Matcher section = Pattern.compile("## Metrics[^\\n]*\\n(.*?)\\n## ", Pattern.DOTALL).matcher(architecture);
    assertTrue(section.find(), "ARCHITECTURE.md has no '## Metrics' section");
    Set<String> documented = new TreeSet<>();
    // a name with labels is followed by '{', one without (the alarm-loss counters) by the closing backtick
    Matcher name = Pattern.compile("`(flowsentry_\\w+)[{`]").matcher(section.group(1));
    while (name.find()) {
      documented.add(name.group(1));
    }
    Set<String> undocumented = new TreeSet<>(KnownMetrics.CONTRACT);
    undocumented.removeAll(documented);
    Set<String> unlisted = new TreeSet<>(documented);
    unlisted.removeAll(KnownMetrics.CONTRACT);
    assertEquals("", (unlisted.isEmpty() ? "" : "ARCHITECTURE.md lists, KnownMetrics does not: " + unlisted + "; ")
        + (undocumented.isEmpty() ? "" : "KnownMetrics lists, ARCHITECTURE.md does not: " + undocumented));
  }

  @Test
  void standInServesEveryFlowsentryMetric() {
    String standIn = OpsFiles.text(OpsFiles.path("it/prometheus/testdata/metrics.prom"));
    Set<String> missing = new TreeSet<>(KnownMetrics.CONTRACT);
    missing.addAll(KnownMetrics.ADDED);
    missing.removeIf(metric -> standIn.contains("\n" + metric + "{") || standIn.contains("\n" + metric + " "));
    assertTrue(missing.isEmpty(), "it/prometheus/testdata/metrics.prom lacks " + missing);
  }
}
