package io.flowsentry.analyzer.alarm;

import io.flowsentry.analyzer.policy.PolicyMode;

/**
 * Alarms of one policy that went over its {@code max_alarms_per_minute} and were counted instead
 * of written one by one, written as one line per log.
 *
 * @param count the alarms not written one by one
 * @param minutes the minutes of event time they fell in (usually 1)
 * @param endMicros event time at the end of the last of those minutes
 * @param cap the policy's {@code max_alarms_per_minute}
 * @param mode the policy's mode: a shadow policy's summary goes only to {@code <policy>.log}, like its alarms
 */
public record AlarmSummary(String policy, long count, long minutes, long endMicros, long cap, PolicyMode mode) {
  /** The summary of an enforcing policy. */
  public AlarmSummary(String policy, long count, long minutes, long endMicros, long cap) {
    this(policy, count, minutes, endMicros, cap, PolicyMode.ENFORCE);
  }

  /** "N more alarms for policy P in the last minute". */
  public String message() {
    return count + " more alarms for policy " + policy + " in the last " + (minutes == 1 ? "minute" : minutes + " minutes");
  }
}
