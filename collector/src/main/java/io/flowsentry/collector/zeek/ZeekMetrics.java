package io.flowsentry.collector.zeek;

import io.flowsentry.collector.zeek.tail.LogLines;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one configured Zeek input; {@code file} is the configured path (file or glob),
 * never a rotated file's name, so labels stay bounded.
 * <ul>
 *   <li>{@code flowsentry_zeek_lines_total{file}}: data lines processed (events plus bad lines;
 *       header and comment lines not counted)
 *   <li>{@code flowsentry_zeek_parse_errors_total{file}}: bad lines (counted, reported, skipped)
 *   <li>{@code flowsentry_zeek_lag_seconds{file}}: how far behind the newest line the reader is:
 *       0 when every complete line written so far has been processed; otherwise the wall clock
 *       minus the time Zeek logged the last line processed (its {@code ts} plus
 *       {@code duration}, since Zeek writes a conn.log line when the connection ends)
 *   <li>{@code flowsentry_zeek_files_followed{file}}: files open (the live file and rotated
 *       files still being finished)
 *   <li>{@code flowsentry_zeek_truncations_total{file}}: files found shorter than what had been
 *       read, while running or (against the checkpoint) at start-up; each is also a warning, and
 *       lines written between the last read and the truncation are lost
 * </ul>
 */
public final class ZeekMetrics {
  private final Counter lines;
  private final Counter parseErrors;
  private final Counter truncations;
  private final AtomicLong lagMicros = new AtomicLong();
  private final AtomicInteger filesFollowed = new AtomicInteger();

  public ZeekMetrics(MeterRegistry registry, String file) {
    lines = Counter.builder("flowsentry.zeek.lines").tag("file", file)
        .description("Zeek conn.log data lines processed").register(registry);
    parseErrors = Counter.builder("flowsentry.zeek.parse.errors").tag("file", file)
        .description("Zeek conn.log lines that gave no event").register(registry);
    truncations = Counter.builder("flowsentry.zeek.truncations").tag("file", file)
        .description("Zeek log files truncated or rewritten in place under the reader").register(registry);
    Gauge.builder("flowsentry.zeek.lag", lagMicros, v -> v.get() / 1e6).tag("file", file).baseUnit("seconds")
        .description("How far the reader is behind the newest conn.log line").register(registry);
    Gauge.builder("flowsentry.zeek.files.followed", filesFollowed, AtomicInteger::get).tag("file", file)
        .description("Zeek log files open for reading").register(registry);
  }

  /** Adds what {@code log} processed since the last call. */
  void count(LogLines log) {
    long n = log.takeNewDataLines();
    if (n > 0) lines.increment(n);
    long bad = log.takeNewBadLines();
    if (bad > 0) parseErrors.increment(bad);
  }

  void truncated() {
    truncations.increment();
  }

  void lagMicros(long micros) {
    lagMicros.set(Math.max(0, micros));
  }

  void filesFollowed(int n) {
    filesFollowed.set(n);
  }
}
