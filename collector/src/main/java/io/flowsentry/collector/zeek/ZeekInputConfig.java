package io.flowsentry.collector.zeek;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code inputs.zeek} in the YAML configuration:
 * <pre>
 * inputs:
 *   zeek:
 *     - path: /opt/zeek/logs/current/conn.log   # file or glob
 *       start_at: end                           # or beginning; only without a checkpoint
 *       backfill: false                         # first read rotated conn.*.log(.gz) beside it
 *       poll_interval: 250ms                    # how often the file is checked for new lines
 * </pre>
 *
 * @param path the conn.log to follow, or a glob ({@code *}, {@code ?}, {@code [..]}, {@code {a,b}}) matching several
 * @param startAt where to start in a file found at start-up without a checkpoint: {@code end} (default) or {@code beginning}
 * @param backfill whether to first read the rotated archives beside each file ({@code conn.*.log},
 *     {@code conn.*.log.gz}) in time order, skipping those already read, and then the live file
 *     from its beginning (catching up after downtime)
 * @param pollInterval how often files are checked for new lines, rotation and truncation
 */
public record ZeekInputConfig(
    @JsonProperty("path") String path,
    @JsonProperty("start_at") String startAt,
    @JsonProperty("backfill") Boolean backfill,
    @JsonProperty("poll_interval") String pollInterval) {

  public static final String START_AT_END = "end";
  public static final String START_AT_BEGINNING = "beginning";
  private static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(10);

  public ZeekInputConfig {
    path = path == null ? "" : path;
    startAt = startAt == null ? START_AT_END : startAt;
    backfill = backfill != null && backfill;
    pollInterval = pollInterval == null ? "250ms" : pollInterval;
  }

  /** The entry ARCHITECTURE.md shows; a real configuration names its own path. */
  public static ZeekInputConfig defaults() {
    return new ZeekInputConfig("/opt/zeek/logs/current/conn.log", null, null, null);
  }

  public static ZeekInputConfig of(String path) {
    return new ZeekInputConfig(path, null, null, null);
  }

  public ZeekInputConfig withStartAtBeginning() {
    return new ZeekInputConfig(path, START_AT_BEGINNING, backfill, pollInterval);
  }

  public boolean startAtBeginning() {
    return START_AT_BEGINNING.equals(startAt);
  }

  public Duration pollIntervalDuration() {
    return Durations.parse(pollInterval);
  }

  /** Whether {@link #path} is a glob rather than one file. */
  public boolean isGlob() {
    return path.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }

  /** Every problem at once, each naming its key under {@code prefix} (e.g. "inputs.zeek[0]"). */
  public List<String> validate(String prefix) {
    List<String> problems = new ArrayList<>();
    if (path.isBlank()) {
      problems.add(prefix + ".path: \"" + path + "\" (expected: a file or glob such as /opt/zeek/logs/current/conn.log)");
    }
    if (!START_AT_END.equals(startAt) && !START_AT_BEGINNING.equals(startAt)) {
      problems.add(prefix + ".start_at: " + startAt + " (expected: end or beginning)");
    }
    try {
      Duration d = pollIntervalDuration();
      if (d.isZero() || d.compareTo(MAX_POLL_INTERVAL) > 0) {
        problems.add(prefix + ".poll_interval: " + pollInterval + " (expected: a duration from 1ms to 10m)");
      }
    } catch (IllegalArgumentException e) {
      problems.add(prefix + ".poll_interval: " + pollInterval + " (expected: a duration such as 250ms or 1s)");
    }
    return problems;
  }
}
