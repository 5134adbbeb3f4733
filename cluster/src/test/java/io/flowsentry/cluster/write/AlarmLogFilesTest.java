package io.flowsentry.cluster.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.analyzer.alarm.Alarm;
import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.RotateConfig;
import io.flowsentry.analyzer.alarm.Rotation;
import io.flowsentry.analyzer.alarm.AlarmSummary;
import io.flowsentry.analyzer.policy.PolicyMode;
import io.flowsentry.cluster.wire.AlarmCodec;
import io.flowsentry.cluster.wire.EventCodec;
import io.flowsentry.cluster.wire.MalformedRecordException;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the alarm writer writes for a record off the topic: the single node's lines, by mode. */
class AlarmLogFilesTest {
  private static final Rotation NO_ROTATION = new Rotation(RotateConfig.defaults(), Clock.systemUTC());
  private static final ConnectionEvent EVENT = ConnectionEvent.builder().tsMicros(1_225_743_661_858_791L)
      .origH("192.168.4.7").origP(40000).respH("203.0.113.9").respP(443).proto(6).build();
  private final EventCodec codec = new EventCodec(CommunityId.DEFAULT_SEED);
  private final AlarmFormat format = AlarmFormat.defaults();
  @TempDir Path dir;

  /** The record as the analyzer encodes it and the writer decodes it, so the mode crosses the wire. */
  private Map<String, String> lines(Alarm a, String respName) throws IOException, MalformedRecordException {
    return text(AlarmCodec.decode(AlarmCodec.encode("id", a, respName, 0, codec)));
  }

  private Map<String, String> text(AlarmCodec.Decoded d) throws IOException {
    try (AlarmLogFiles files = new AlarmLogFiles(dir, format, false, false, NO_ROTATION)) {
      Map<String, String> out = new LinkedHashMap<>();
      files.lines(d).forEach((name, line) -> out.put(name, new String(line, StandardCharsets.UTF_8)));
      return out;
    }
  }

  private static Alarm alarm(PolicyMode mode) {
    return new Alarm("staged", "UnexpectedOutgoingConnection", "RestrictedOutgoing::Unexpected_Outgoing_Connection", EVENT,
        Duration.ofSeconds(60), null, mode);
  }

  @Test
  void aShadowAlarmIsOnlyInItsPolicysLogMarkedAsOnOneNode() throws Exception {
    Alarm a = alarm(PolicyMode.SHADOW);
    assertEquals(Map.of("staged.log", format.shadowLine(a, "www.example.com") + "\n"), lines(a, "www.example.com"));
    assertEquals("1225743661.858791 UnexpectedOutgoingConnection 192.168.4.7/40000 > 203.0.113.9/https : Restricted Outgoing"
        + " TCP Connection mode=shadow\n", lines(a, null).get("staged.log"));
  }

  @Test
  void anEnforcedAlarmIsInAllThreeFilesUnmarked() throws Exception {
    Alarm a = alarm(PolicyMode.ENFORCE);
    Map<String, String> lines = lines(a, null);
    assertEquals(List.of("alarms.log", "staged.log", "notice.log"), List.copyOf(lines.keySet()));
    assertEquals(format.classicLine(a) + "\n", lines.get("alarms.log"));
    assertEquals(format.classicLine(a) + "\n", lines.get("staged.log"));
    assertEquals(format.noticeJson(a, null) + "\n", lines.get("notice.log"));
  }

  @Test
  void aShadowSummaryIsOnlyInItsPolicysLogMarked() throws Exception {
    AlarmSummary s = new AlarmSummary("staged", 5, 1, 1_764_547_260_000_000L, 1, PolicyMode.SHADOW);
    Map<String, String> lines = text(AlarmCodec.decode(AlarmCodec.encode("id", s)));
    assertEquals(Map.of("staged.log", format.shadowLine(s) + "\n"), lines);
    AlarmSummary enforced = new AlarmSummary("staged", 5, 1, 1_764_547_260_000_000L, 1, PolicyMode.ENFORCE);
    assertEquals(List.of("alarms.log", "staged.log", "notice.log"),
        List.copyOf(text(AlarmCodec.decode(AlarmCodec.encode("id", enforced))).keySet()));
  }
}
