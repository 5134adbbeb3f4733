package io.flowsentry.cluster.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.policy.PolicyMode;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

/**
 * Alarms to and from {@code flowsentry.events.v1.AlarmRecord}, the value of
 * {@code <prefix>.alarms.v1}: what the analyzer decided, with everything the alarm writer needs
 * to render the single node's lines (alarm name, note, policy, suppress_for, the event).
 */
public final class AlarmCodec {
  private AlarmCodec() {}

  /** A decoded record: an alarm (with the responder's name, if the analyzer knew one) or a summary. */
  public sealed interface Decoded permits DecodedAlarm, DecodedSummary {
    String alarmId();
  }

  /** @param maxPerMinute the policy's max_alarms_per_minute, for the writer's cap; 0 = none */
  public record DecodedAlarm(String alarmId, io.flowsentry.analyzer.alarm.Alarm alarm, String respName, long maxPerMinute)
      implements Decoded {}

  public record DecodedSummary(String alarmId, AlarmSummary summary) implements Decoded {}

  /** @param maxPerMinute the policy's max_alarms_per_minute (0 = none): the writer caps alarms across the group */
  public static byte[] encode(String alarmId, io.flowsentry.analyzer.alarm.Alarm a, String respName, long maxPerMinute,
      EventCodec events) {
    Alarm.Builder b = Alarm.newBuilder().setPolicy(a.policy()).setAlarmName(a.alarmName()).setNoticeNote(a.noticeNote())
        .setSuppressForMicros(a.suppressFor().toNanos() / 1000).setEvent(events.toWire(a.event())).setMode(toWire(a.mode()))
        .setMaxAlarmsPerMinute(maxPerMinute);
    if (respName != null) b.setRespName(respName);
    return AlarmRecord.newBuilder().setAlarmId(alarmId).setAlarm(b).build().toByteArray();
  }

  public static byte[] encode(String alarmId, AlarmSummary s) {
    return AlarmRecord.newBuilder().setAlarmId(alarmId).setSummary(io.flowsentry.cluster.wire.AlarmSummary.newBuilder()
        .setPolicy(s.policy()).setCount(s.count()).setMinutes(s.minutes()).setEndMicros(s.endMicros()).setCap(s.cap())
        .setMode(toWire(s.mode())))
        .build().toByteArray();
  }

  /** @throws MalformedRecordException when the bytes are not an alarm record or its event breaks the event rules */
  public static Decoded decode(byte[] bytes) throws MalformedRecordException {
    AlarmRecord r;
    try {
      r = AlarmRecord.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRecordException("not a flowsentry.events.v1.AlarmRecord: " + e.getMessage());
    }
    if (r.getAlarmId().isEmpty()) throw new MalformedRecordException("alarm_id: empty (expected: the alarm's id)");
    switch (r.getKindCase()) {
      case ALARM -> {
        Alarm a = r.getAlarm();
        if (a.getPolicy().isEmpty() || a.getAlarmName().isEmpty() || a.getPolicy().contains("/")) {
          throw new MalformedRecordException("alarm: policy \"" + a.getPolicy() + "\" and alarm_name \"" + a.getAlarmName()
              + "\" (expected: both set, the policy a file name)");
        }
        if (!a.hasEvent()) throw new MalformedRecordException("alarm.event: absent (expected: the connection that alarmed)");
        if (a.getSuppressForMicros() < 0) throw new MalformedRecordException("alarm.suppress_for_micros: " + a.getSuppressForMicros() + " (expected: >= 0)");
        if (a.getMaxAlarmsPerMinute() < 0) throw new MalformedRecordException("alarm.max_alarms_per_minute: " + a.getMaxAlarmsPerMinute() + " (expected: >= 0)");
        var alarm = new io.flowsentry.analyzer.alarm.Alarm(a.getPolicy(), a.getAlarmName(), a.getNoticeNote(),
            EventCodec.fromWire(a.getEvent()), Duration.of(a.getSuppressForMicros(), ChronoUnit.MICROS), null,
            fromWire(a.getMode(), r.getAlarmId()));
        return new DecodedAlarm(r.getAlarmId(), alarm, a.hasRespName() ? a.getRespName() : null, a.getMaxAlarmsPerMinute());
      }
      case SUMMARY -> {
        var s = r.getSummary();
        if (s.getPolicy().isEmpty() || s.getPolicy().contains("/")) {
          throw new MalformedRecordException("summary.policy: \"" + s.getPolicy() + "\" (expected: a policy name)");
        }
        return new DecodedSummary(r.getAlarmId(), new AlarmSummary(s.getPolicy(), s.getCount(), s.getMinutes(),
            s.getEndMicros(), s.getCap(), fromWire(s.getMode(), r.getAlarmId())));
      }
      default -> throw new MalformedRecordException("alarm record " + r.getAlarmId() + ": neither an alarm nor a summary");
    }
  }

  private static AlarmMode toWire(PolicyMode m) {
    return m == PolicyMode.SHADOW ? AlarmMode.ALARM_MODE_SHADOW
        : AlarmMode.ALARM_MODE_ENFORCE;
  }

  /** A mode number this version does not know is refused rather than guessed: it might page someone. */
  private static PolicyMode fromWire(AlarmMode m, String alarmId) throws MalformedRecordException {
    return switch (m) {
      case ALARM_MODE_ENFORCE -> PolicyMode.ENFORCE;
      case ALARM_MODE_SHADOW -> PolicyMode.SHADOW;
      case UNRECOGNIZED -> throw new MalformedRecordException("alarm record " + alarmId + ": mode is a number this"
          + " version does not know (expected: enforce or shadow; upgrade the alarm writer)");
    };
  }
}
