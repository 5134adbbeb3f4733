package io.flowsentry.cluster.write;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code state_dir/.alarm-writer.state}: for each partition of the alarms topic the next offset
 * to write, and the size of every alarm file once those records were written. Saved (write to a
 * temporary file, sync, rename) after the lines it covers, so after {@code kill -9} the files are
 * at least as long as it says, and the writer cuts them back to it and reads on from its offsets:
 * no line lost, none repeated.
 *
 * @param topic the alarms topic the offsets belong to (a different prefix starts from nothing)
 */
record AlarmWriterState(String topic, Map<Integer, Long> offsets, Map<String, Long> fileSizes) {
  static final String FILE_NAME = ".alarm-writer.state";
  private static final ObjectMapper JSON = new ObjectMapper();

  AlarmWriterState {
    offsets = new TreeMap<>(offsets);
    fileSizes = new TreeMap<>(fileSizes);
  }

  static AlarmWriterState empty(String topic) {
    return new AlarmWriterState(topic, Map.of(), Map.of());
  }

  /** The saved state, or an empty one when there is none (or it is of another topic). */
  static AlarmWriterState load(Path file, String topic) throws IOException {
    Map<String, Object> m;
    try {
      m = JSON.readValue(Files.readAllBytes(file), new TypeReference<>() {});
    } catch (NoSuchFileException e) {
      return empty(topic);
    } catch (IOException e) {
      throw new IOException("cannot read the alarm writer's state " + file + " (" + e.getMessage()
          + "); move it away to write the alarms topic from its beginning", e);
    }
    if (!topic.equals(m.get("topic"))) return empty(topic);
    Map<Integer, Long> offsets = new TreeMap<>();
    Map<String, Long> sizes = new TreeMap<>();
    try {
      ((Map<?, ?>) m.get("offsets")).forEach((k, v) -> offsets.put(Integer.parseInt(k.toString()), ((Number) v).longValue()));
      ((Map<?, ?>) m.get("file_sizes")).forEach((k, v) -> sizes.put(k.toString(), ((Number) v).longValue()));
    } catch (RuntimeException e) {
      throw new IOException("the alarm writer's state " + file + " is not what it writes (" + e + "); move it away"
          + " to write the alarms topic from its beginning", e);
    }
    return new AlarmWriterState(topic, offsets, sizes);
  }

  void save(Path file) throws IOException {
    Map<String, Object> m = new TreeMap<>();
    m.put("topic", topic);
    m.put("offsets", offsets);
    m.put("file_sizes", fileSizes);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      c.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(m)));
      c.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
