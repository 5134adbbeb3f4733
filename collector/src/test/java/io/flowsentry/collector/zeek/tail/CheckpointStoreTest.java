package io.flowsentry.collector.zeek.tail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir Path state;

  @Test
  void savesAndLoadsPerConfiguredPath() throws IOException {
    CheckpointStore store = new CheckpointStore(state);
    Checkpoint a = new Checkpoint("/opt/zeek/logs/current/conn.log",
        List.of(new Checkpoint.FilePosition("/opt/zeek/logs/current/conn.log", 1, 2, "ab", 300)), List.of("cd"));
    Checkpoint b = new Checkpoint("/sensors/*/conn.log", List.of(), List.of());
    store.save(a);
    store.save(b);
    assertEquals(Optional.of(a), store.load(a.path()));
    assertEquals(Optional.of(b), store.load(b.path()));
    assertEquals(Optional.empty(), store.load("/other/conn.log"));
    try (var files = Files.list(state.resolve("zeek"))) {
      assertEquals(2, files.filter(f -> f.toString().endsWith(".json")).count(), "no temporary files left");
    }
  }

  @Test
  void aDamagedCheckpointMeansStartingWithout() throws IOException {
    CheckpointStore store = new CheckpointStore(state);
    Path f = store.fileFor("/z/conn.log");
    Files.createDirectories(f.getParent());
    Files.writeString(f, "{\"path\":\"/z/conn.log\",\"files\":[{\"fi");
    assertEquals(Optional.empty(), store.load("/z/conn.log"));
    store.save(new Checkpoint("/z/conn.log", List.of(), List.of()));
    assertTrue(store.load("/z/conn.log").isPresent());
  }
}
