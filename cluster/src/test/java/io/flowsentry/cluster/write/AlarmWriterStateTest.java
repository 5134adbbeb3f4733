package io.flowsentry.cluster.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The alarm writer's restart rules: lines after the saved state are cut, a file shorter than the state stops it. */
class AlarmWriterStateTest {
  private static final Rotation NO_ROTATION = new Rotation(RotateConfig.defaults(), Clock.systemUTC());
  @TempDir Path dir;

  @Test
  void savesAndLoadsOffsetsAndSizes() throws IOException {
    Path file = dir.resolve(AlarmWriterState.FILE_NAME);
    new AlarmWriterState("p.alarms.v1", Map.of(0, 12L, 3, 7L), Map.of("alarms.log", 100L), GroupRateCaps.Saved.NONE).save(file);
    AlarmWriterState s = AlarmWriterState.load(file, "p.alarms.v1");
    assertEquals(Map.of(0, 12L, 3, 7L), s.offsets());
    assertEquals(Map.of("alarms.log", 100L), s.fileSizes());
    assertEquals(GroupRateCaps.Saved.NONE, s.rateCaps());
    assertEquals(Map.of(), AlarmWriterState.load(file, "other.alarms.v1").offsets(), "another prefix starts over");
    assertEquals(Map.of(), AlarmWriterState.load(dir.resolve("none"), "p.alarms.v1").offsets());
  }

  @Test
  void aStateOfAWriterBeforeGroupWideCapsHasNoCaps() throws IOException {
    Path file = dir.resolve(AlarmWriterState.FILE_NAME);
    Files.writeString(file, "{\"topic\":\"p.alarms.v1\",\"offsets\":{\"0\":5},\"file_sizes\":{\"alarms.log\":9}}");
    AlarmWriterState s = AlarmWriterState.load(file, "p.alarms.v1");
    assertEquals(Map.of(0, 5L), s.offsets());
    assertEquals(GroupRateCaps.Saved.NONE, s.rateCaps());
  }

  @Test
  void aStateFileThatIsNotOursIsAnErrorNamingIt() throws IOException {
    Path file = dir.resolve(AlarmWriterState.FILE_NAME);
    Files.writeString(file, "{\"topic\":\"p.alarms.v1\",\"offsets\":{\"x\":1},\"file_sizes\":{}}");
    IOException e = assertThrows(IOException.class, () -> AlarmWriterState.load(file, "p.alarms.v1"));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void restoreCutsWhatWasWrittenAfterTheStateAndRefusesAShorterFile() throws IOException {
    Path logs = dir.resolve("log");
    try (AlarmLogFiles files = new AlarmLogFiles(logs, AlarmFormat.defaults(), false, false, NO_ROTATION)) {
      files.append("alarms.log", "one\n".getBytes(StandardCharsets.UTF_8));
      assertEquals(Map.of("alarms.log", 4L), files.sizes());
      files.append("alarms.log", "two (after the state: a kill -9 came before the next save)\n".getBytes(StandardCharsets.UTF_8));
    }
    try (AlarmLogFiles files = new AlarmLogFiles(logs, AlarmFormat.defaults(), false, false, NO_ROTATION)) {
      Map<String, Long> cut = files.restore(Map.of("alarms.log", 4L));
      assertEquals(Map.of("alarms.log", 59L), cut);
      assertEquals("one\n", Files.readString(logs.resolve("alarms.log")));
      files.append("alarms.log", "two\n".getBytes(StandardCharsets.UTF_8));
      assertEquals("one\ntwo\n", Files.readString(logs.resolve("alarms.log")));
    }
    try (AlarmLogFiles files = new AlarmLogFiles(logs, AlarmFormat.defaults(), false, false, NO_ROTATION)) {
      IOException e = assertThrows(IOException.class, () -> files.restore(Map.of("alarms.log", 100L)));
      assertTrue(e.getMessage().contains("is 8 bytes, shorter than the 100 "), e.getMessage());
    }
  }

  @Test
  void aFileTheStateDoesNotNameIsUnknownAgainAfterARestore() throws IOException {
    try (AlarmLogFiles files = new AlarmLogFiles(dir.resolve("log"), AlarmFormat.defaults(), false, false, NO_ROTATION)) {
      files.append("alarms.log", "one\n".getBytes(StandardCharsets.UTF_8));
      files.append("p.log", "one\n".getBytes(StandardCharsets.UTF_8));
      files.restore(Map.of("alarms.log", 4L));
      assertTrue(files.isOpen("alarms.log"));
      assertFalse(files.isOpen("p.log"), "opened after the state was saved: to be recorded before its next line");
    }
  }
}
