package io.flowsentry.analyzer.alarm;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.net.ConfigChecks;
import io.flowsentry.collector.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code outputs.rotate}: rotation of the alarm logs by size and/or time. Both empty (the
 * default) means flowsentry never renames its files and an external logrotate asks it to reopen
 * them (SIGHUP). A rotated file is renamed to {@code <name>.<yyyyMMdd-HHmmss>} (UTC).
 *
 * @param maxSize rotate before a write would make the file larger, e.g. {@code 100MB}; units B, KB, MB, GB are powers of 1024
 * @param interval rotate at each multiple of this wall-clock interval since the epoch, e.g. {@code 1d} (midnight UTC)
 * @param keep rotated files kept per log; older ones are deleted (0 = keep all)
 */
public record RotateConfig(
    @JsonProperty("max_size") String maxSize,
    @JsonProperty("interval") String interval,
    @JsonProperty("keep") Integer keep) {

  private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);

  public RotateConfig {
    maxSize = maxSize == null ? "" : maxSize;
    interval = interval == null ? "" : interval;
    keep = keep == null ? 10 : keep;
  }

  public static RotateConfig defaults() {
    return new RotateConfig(null, null, null);
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    if (!maxSize.isEmpty()) {
      try {
        if (parseSize(maxSize) < 1024) throw new IllegalArgumentException("too small");
      } catch (IllegalArgumentException e) {
        problems.add(ConfigChecks.problem(keyPrefix + ".max_size", maxSize, "empty (off) or a size of at least 1KB such as 100MB"));
      }
    }
    if (!interval.isEmpty()) ConfigChecks.duration(keyPrefix + ".interval", interval, Duration.ofSeconds(1), problems);
    if (keep < 0) problems.add(ConfigChecks.problem(keyPrefix + ".keep", keep, "0 (keep all) or a positive count"));
    return problems;
  }

  /** Bytes, or 0 when size rotation is off. */
  public long maxSizeBytes() {
    return maxSize.isEmpty() ? 0 : parseSize(maxSize);
  }

  /** The interval, or {@link Duration#ZERO} when time rotation is off. */
  public Duration intervalDuration() {
    return interval.isEmpty() ? Duration.ZERO : Durations.parse(interval);
  }

  /** A size such as {@code 100MB} (B, KB, MB, GB; powers of 1024) in bytes. */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) throw new IllegalArgumentException("expected a size such as 100MB, got \"" + text + "\"");
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    int shift = switch (unit) {
      case "KB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      default -> 0;
    };
    return Math.multiplyExact(n, 1L << shift);
  }
}
