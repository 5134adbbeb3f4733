package io.flowsentry.analyzer.delivery;

import io.flowsentry.analyzer.alarm.Alarm;

/**
 * A destination alarms are delivered to besides the alarm logs (syslog, webhook). The alarm
 * writer offers each alarm after it is in the files; a destination queues it (bounded) and
 * sends it on its own thread, so a slow or dead one never delays the files or another one.
 */
public interface AlarmDelivery extends AutoCloseable {
  /** Queues the alarm without blocking; a full queue drops it and counts that. */
  void offer(Alarm alarm);

  /** Sends what is queued (bounded by a timeout), then stops. */
  @Override
  void close() throws InterruptedException;
}
