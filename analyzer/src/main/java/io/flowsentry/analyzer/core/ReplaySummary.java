package io.flowsentry.analyzer.core;

import java.util.Map;

/**
 * What an analysis run did, for the end of {@code flowsentry replay}.
 *
 * @param events events analyzed
 * @param alarms alarms handed to the writer, per policy (every configured policy listed)
 * @param suppressed events that matched a policy but were inside its suppression window, per policy
 * @param alarmsDropped alarms lost because the writer queue was full (0 in blocking replay mode)
 * @param badLines input lines the caller could not turn into events
 */
public record ReplaySummary(long events, Map<String, Long> alarms, Map<String, Long> suppressed,
    long alarmsDropped, long badLines) {

  public ReplaySummary {
    alarms = Map.copyOf(alarms);
    suppressed = Map.copyOf(suppressed);
  }

  public long totalAlarms() {
    return alarms.values().stream().mapToLong(Long::longValue).sum();
  }

  public long totalSuppressed() {
    return suppressed.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Human-readable, one item per line, policies in name order. */
  public String format() {
    StringBuilder sb = new StringBuilder();
    sb.append("events: ").append(events).append('\n');
    sb.append("alarms: ").append(totalAlarms()).append('\n');
    new java.util.TreeMap<>(alarms).forEach((p, n) -> sb.append("  ").append(p).append(": ").append(n)
        .append(" alarms, ").append(suppressed.getOrDefault(p, 0L)).append(" suppressed\n"));
    sb.append("suppressed: ").append(totalSuppressed()).append('\n');
    if (alarmsDropped > 0) sb.append("alarms dropped (queue full): ").append(alarmsDropped).append('\n');
    sb.append("bad lines: ").append(badLines).append('\n');
    return sb.toString();
  }
}
