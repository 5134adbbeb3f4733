package io.flowsentry.analyzer.alarm;

import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.analyzer.suppress.SuppressionTable;
import io.flowsentry.collector.event.ConnectionEvent;
import java.time.Duration;

/**
 * One alarm on its way to the sinks.
 *
 * @param policy the policy's name (also the {@code <policy>.log} file name)
 * @param alarmName note name on the classic line, e.g. {@code UnexpectedOutgoingConnection}
 * @param noticeNote notice.log {@code note}, e.g. {@code RestrictedOutgoing::Unexpected_Outgoing_Connection}
 * @param event the connection that alarmed
 * @param suppressFor how long identical connections stay quiet after this alarm
 * @param sighting the suppression entry it created, marked durable once the alarm is written; null = none
 * @param mode the policy's mode when it alarmed: a shadow alarm goes only to {@code <policy>.log} and metrics
 */
public record Alarm(String policy, String alarmName, String noticeNote, ConnectionEvent event, Duration suppressFor,
    SuppressionTable.Sighting sighting, PolicyMode mode) {

  /** An alarm of an enforcing policy. */
  public Alarm(String policy, String alarmName, String noticeNote, ConnectionEvent event, Duration suppressFor,
      SuppressionTable.Sighting sighting) {
    this(policy, alarmName, noticeNote, event, suppressFor, sighting, PolicyMode.ENFORCE);
  }

  public boolean shadow() {
    return mode == PolicyMode.SHADOW;
  }
}
