package io.flowsentry.cluster.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.analyzer.alarm.AlarmFormat;
import io.flowsentry.analyzer.alarm.RotateConfig;
import io.flowsentry.analyzer.alarm.Rotation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** outputs.rotate in the alarm writer: the single node's renaming, and a state that always matches the files. */
class AlarmLogRotationTest {
  private static final byte[] LINE = "0123456789\n".getBytes(StandardCharsets.UTF_8); // 11 bytes
  private final Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
  @TempDir Path dir;

  private AlarmLogFiles files(String maxSize, int keep) throws IOException {
    return new AlarmLogFiles(dir, AlarmFormat.defaults(), false, false, new Rotation(new RotateConfig(maxSize, null, keep), clock));
  }

  @Test
  void aFileDueBeforeTheNextLinesIsMovedAsideAndStartsEmpty() throws IOException {
    try (AlarmLogFiles files = files("20B", 10)) {
      files.append("alarms.log", LINE);
      assertEquals(List.of(), files.rotateDue(Map.of("alarms.log", 9L)), "11 + 9 fits in 20 bytes");
      assertEquals(List.of("alarms.log"), files.rotateDue(Map.of("alarms.log", 10L)));
      assertEquals(Map.of("alarms.log", 0L), files.sizes());
      assertEquals(11, Files.size(dir.resolve("alarms.log.20261202-100000")));
      files.append("alarms.log", LINE);
      assertEquals(List.of("alarms.log"), files.rotateDue(Map.of("alarms.log", 10L)));
      assertEquals(11, Files.size(dir.resolve("alarms.log.20261202-100000.1")), "same second: numbered");
      assertEquals(List.of(), files.rotateDue(Map.of("alarms.log", 100L)), "an empty file is never rotated");
    }
  }

  @Test
  void rotatedFilesBeyondKeepAreDeleted() throws IOException {
    try (AlarmLogFiles files = files("1B", 1)) {
      for (int i = 0; i < 3; i++) {
        files.append("p.log", LINE);
        files.rotateDue(Map.of("p.log", 1L));
      }
    }
    try (var list = Files.list(dir)) {
      assertEquals(List.of("p.log", "p.log.20261202-100000.2"), list.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /** A kill -9 between the rename and the state save: the state names the old size, the file is new and empty. */
  @Test
  void aRestartAfterARotationTheStateDidNotRecordYetAcceptsTheNewFile() throws IOException {
    try (AlarmLogFiles files = files("20B", 10)) {
      files.append("alarms.log", LINE);
      files.rotateDue(Map.of("alarms.log", 11L));
    }
    try (AlarmLogFiles files = files("20B", 10)) {
      assertEquals(Map.of(), files.restore(Map.of("alarms.log", 11L)));
      files.append("alarms.log", LINE);
      assertEquals(Map.of("alarms.log", 11L), files.sizes());
    }
    // an empty file with no rotated one of the recorded size is someone else's doing: still refused
    Files.write(dir.resolve("notice.log"), new byte[0]);
    try (AlarmLogFiles files = files("20B", 10)) {
      IOException e = assertThrows(IOException.class, () -> files.restore(Map.of("notice.log", 11L)));
      assertTrue(e.getMessage().contains("shorter than the 11 "), e.getMessage());
    }
  }
}
