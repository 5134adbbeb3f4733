package io.flowsentry.analyzer.net;

import io.flowsentry.collector.event.Cidr;
import io.flowsentry.collector.config.Durations;
import java.time.Duration;
import java.util.List;

/**
 * Validation helpers shared by the analyzer's configuration records. Each adds problems in the
 * form {@code "<key path>: <value> (expected: <what>)"} and never throws.
 */
public final class ConfigChecks {
  private ConfigChecks() {}

  public static String problem(String key, Object value, String expected) {
    String shown = value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    return key + ": " + shown + " (expected: " + expected + ")";
  }

  /** Every entry must be an address or CIDR of either family. */
  public static void cidrs(String key, List<String> values, List<String> problems) {
    for (int i = 0; i < values.size(); i++) {
      cidr(key + "[" + i + "]", values.get(i), problems);
    }
  }

  public static void cidr(String key, String value, List<String> problems) {
    try {
      Cidr.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(problem(key, value, "an IPv4 or IPv6 address or CIDR such as 10.0.0.0/8 or fd00::/8"));
    }
  }

  /** A duration of at least {@code min}; returns it, or null after adding a problem. */
  public static Duration duration(String key, String value, Duration min, List<String> problems) {
    try {
      Duration d = Durations.parse(value);
      if (d.compareTo(min) >= 0) return d;
    } catch (IllegalArgumentException e) {
      // reported below with the expected form
    }
    problems.add(problem(key, value, "a duration of at least " + Durations.format(min) + " such as 500ms, 60s, 5m, 1h or 7d"));
    return null;
  }

  /** An integer in {@code [min, max]}. */
  public static void range(String key, long value, long min, long max, List<String> problems) {
    if (value < min || value > max) problems.add(problem(key, value, min + ".." + max));
  }

  /**
   * The {@code min_ttl}/{@code max_ttl} pair under {@code keyPrefix}: {@code min_ttl} at least
   * {@code minTtlFloor}, {@code max_ttl} at least 1s and not below {@code min_ttl}.
   */
  public static void ttlBounds(String keyPrefix, String minTtl, Duration minTtlFloor, String maxTtl, List<String> problems) {
    Duration min = duration(keyPrefix + ".min_ttl", minTtl, minTtlFloor, problems);
    Duration max = duration(keyPrefix + ".max_ttl", maxTtl, Duration.ofSeconds(1), problems);
    if (min != null && max != null && max.compareTo(min) < 0) {
      problems.add(problem(keyPrefix + ".max_ttl", maxTtl, "at least min_ttl (" + minTtl + ")"));
    }
  }
}
