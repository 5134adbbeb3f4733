package io.flowsentry.collector.zeek.tail;

import io.flowsentry.collector.zeek.parse.BadLineReason;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports bad lines in the log at most once per reason per minute for one configured path,
 * with the file and line number of the first one and how many were not reported since.
 * Counting is the metric's job; this only keeps the log readable.
 */
public final class BadLineLog {
  private static final Logger LOG = LoggerFactory.getLogger(BadLineLog.class);
  private static final long INTERVAL_MILLIS = 60_000;

  private final Clock clock;
  private final Map<BadLineReason, long[]> state = new EnumMap<>(BadLineReason.class);

  public BadLineLog(Clock clock) {
    this.clock = clock;
  }

  /** Whether this bad line was written to the log (false: rate-limited). */
  public synchronized boolean report(String file, long lineNumber, BadLineReason reason, String detail) {
    long now = clock.millis();
    long[] s = state.computeIfAbsent(reason, r -> new long[] {Long.MIN_VALUE, 0}); // {last logged, suppressed}
    if (s[0] != Long.MIN_VALUE && now - s[0] < INTERVAL_MILLIS) {
      s[1]++;
      return false;
    }
    String more = s[1] > 0 ? " (" + s[1] + " more " + reason.tag() + " lines not shown in the last minute)" : "";
    LOG.warn("zeek {} line {}: {}: {}, line skipped{}", file, lineNumber, reason.tag(), detail, more);
    s[0] = now;
    s[1] = 0;
    return true;
  }
}
