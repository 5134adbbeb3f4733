package io.flowsentry.analyzer.core;

import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.policy.PolicyMode;
import java.util.Optional;

/**
 * One policy's {@code max_alarms_per_minute}: in each minute of event time the first alarms are
 * written one by one, the rest only counted, for one summary line once the minute is over. A
 * storm of distinct keys then costs a suppression entry and a counter per alarm, not three log
 * lines, and the writer queue stays free for the alarms that are written. In the cluster the
 * alarm writer keeps one per policy for the whole group, saved with its position ({@link #state}).
 */
public final class AlarmRateCap {
  private static final long MINUTE_MICROS = 60_000_000L;

  private volatile long max;
  private long minute = Long.MIN_VALUE;
  private long written;
  private long over;
  // minutes that ended with alarms over the cap, not yet taken as a summary
  private long pendingCount;
  private long pendingFirstMinute;
  private long pendingEndMinute;

  /** Everything a cap knows, to be saved and restored with the position of a reader that must decide alike again. */
  public record State(long max, long minute, long written, long over, long pendingCount, long pendingFirstMinute,
      long pendingEndMinute) {}

  /** @param max alarms per minute written one by one; 0 = no cap */
  public AlarmRateCap(long max) {
    this.max = max;
  }

  public static AlarmRateCap of(State s) {
    AlarmRateCap c = new AlarmRateCap(s.max());
    c.minute = s.minute();
    c.written = s.written();
    c.over = s.over();
    c.pendingCount = s.pendingCount();
    c.pendingFirstMinute = s.pendingFirstMinute();
    c.pendingEndMinute = s.pendingEndMinute();
    return c;
  }

  public synchronized State state() {
    return new State(max, minute, written, over, pendingCount, pendingFirstMinute, pendingEndMinute);
  }

  public void reconfigure(long max) {
    this.max = max;
  }

  /** Whether an alarm raised at event time {@code nowMicros} is written; false: it is counted for the summary. */
  public synchronized boolean admit(long nowMicros) {
    advanceTo(Math.floorDiv(nowMicros, MINUTE_MICROS));
    long cap = max;
    if (cap == 0 || written < cap) {
      written++;
      return true;
    }
    over++;
    return false;
  }

  /**
   * The alarms over the cap in the minutes that ended by {@code nowMicros}, or also in the current
   * one when {@code atStop}; each alarm is in one summary only.
   */
  public synchronized Optional<AlarmSummary> takeSummary(String policy, PolicyMode mode, long nowMicros, boolean atStop) {
    if (over > 0 || pendingCount > 0) {
      advanceTo(atStop ? minute + 1 : Math.floorDiv(nowMicros, MINUTE_MICROS));
    }
    if (pendingCount == 0) return Optional.empty();
    AlarmSummary s = new AlarmSummary(policy, pendingCount, pendingEndMinute - pendingFirstMinute, pendingEndMinute * MINUTE_MICROS, max, mode);
    pendingCount = 0;
    return Optional.of(s);
  }

  private void advanceTo(long m) {
    if (m <= minute) return; // an event a little late counts in the current minute
    if (over > 0) {
      if (pendingCount == 0) pendingFirstMinute = minute;
      pendingCount += over;
      pendingEndMinute = minute + 1;
    }
    minute = m;
    written = 0;
    over = 0;
  }
}
