package io.flowsentry.analyzer.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An alarm log read into groups: the policy from the file name, bad lines counted with file:line, long lines bounded. */
class AlarmLogReaderTest {
  @TempDir Path dir;

  @Test
  void readsAlarmsCountsSummariesAndBadLines() throws Exception {
    Path log = dir.resolve("servers.log.1");
    String alarm = "1700000001.000000 UnexpectedOutgoingConnection 192.168.4.7/40001 > 203.0.113.9/https"
        + " : Restricted Outgoing TCP Connection resp_name=www.example.com\r\n";
    Files.writeString(log, alarm + "x".repeat(1_000_000) + "\n"
        + "1700000060.000000 AlarmsSummarized 5 more alarms for policy servers in the last minute (max_alarms_per_minute: 1)\n"
        + "\n" + alarm.strip());
    TrafficGroups groups = new TrafficGroups(LearnSettings.DEFAULTS);
    AlarmLogReader.Summary s = new AlarmLogReader(groups).read(log);
    assertEquals("servers", s.policy());
    assertEquals(2, s.alarms());
    assertEquals(1, s.summaryLines());
    assertEquals(1, s.badLines());
    assertTrue(s.problems().getFirst().startsWith(log + ":2: line longer than 4096"), s.problems().toString());
    assertEquals(2, groups.alarms("servers"));
    assertEquals(1, groups.groups().size());
  }
}
