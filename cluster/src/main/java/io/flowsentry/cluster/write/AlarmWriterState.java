package io.flowsentry.cluster.write;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.analyzer.core.AlarmRateCap;
import io.flowsentry.analyzer.policy.PolicyMode;
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
 * @param rateCaps the group's {@code max_alarms_per_minute} as it stood after those records
 */
record AlarmWriterState(String topic, Map<Integer, Long> offsets, Map<String, Long> fileSizes, GroupRateCaps.Saved rateCaps) {
  static final String FILE_NAME = ".alarm-writer.state";
  private static final ObjectMapper JSON = new ObjectMapper();

  AlarmWriterState {
    offsets = new TreeMap<>(offsets);
    fileSizes = new TreeMap<>(fileSizes);
  }

  static AlarmWriterState empty(String topic) {
    return new AlarmWriterState(topic, Map.of(), Map.of(), GroupRateCaps.Saved.NONE);
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
    GroupRateCaps.Saved caps;
    try {
      ((Map<?, ?>) m.get("offsets")).forEach((k, v) -> offsets.put(Integer.parseInt(k.toString()), ((Number) v).longValue()));
      ((Map<?, ?>) m.get("file_sizes")).forEach((k, v) -> sizes.put(k.toString(), ((Number) v).longValue()));
      caps = rateCaps((Map<?, ?>) m.get("rate_caps")); // absent in a state of a writer before group-wide caps
    } catch (RuntimeException e) {
      throw new IOException("the alarm writer's state " + file + " is not what it writes (" + e + "); move it away"
          + " to write the alarms topic from its beginning", e);
    }
    return new AlarmWriterState(topic, offsets, sizes, caps);
  }

  private static Map<String, Object> json(GroupRateCaps.Saved caps) {
    Map<String, Object> policies = new TreeMap<>();
    caps.caps().forEach((policy, c) -> {
      Map<String, Object> p = new TreeMap<>();
      p.put("mode", caps.modes().getOrDefault(policy, PolicyMode.ENFORCE).label());
      p.put("max", c.max());
      p.put("minute", c.minute());
      p.put("written", c.written());
      p.put("over", c.over());
      p.put("pending_count", c.pendingCount());
      p.put("pending_first_minute", c.pendingFirstMinute());
      p.put("pending_end_minute", c.pendingEndMinute());
      policies.put(policy, p);
    });
    Map<String, Object> m = new TreeMap<>();
    m.put("clock", caps.clock());
    m.put("policies", policies);
    return m;
  }

  private static GroupRateCaps.Saved rateCaps(Map<?, ?> m) {
    if (m == null) return GroupRateCaps.Saved.NONE;
    Map<String, PolicyMode> modes = new TreeMap<>();
    Map<String, AlarmRateCap.State> caps = new TreeMap<>();
    ((Map<?, ?>) m.get("policies")).forEach((k, v) -> {
      Map<?, ?> p = (Map<?, ?>) v;
      modes.put(k.toString(), PolicyMode.parse(p.get("mode").toString()));
      caps.put(k.toString(), new AlarmRateCap.State(number(p, "max"), number(p, "minute"), number(p, "written"), number(p, "over"),
          number(p, "pending_count"), number(p, "pending_first_minute"), number(p, "pending_end_minute")));
    });
    return new GroupRateCaps.Saved(number(m, "clock"), modes, caps);
  }

  private static long number(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (!(v instanceof Number n)) throw new IllegalArgumentException(key + ": " + v + " (expected: a number)");
    return n.longValue();
  }

  void save(Path file) throws IOException {
    Map<String, Object> m = new TreeMap<>();
    m.put("topic", topic);
    m.put("offsets", offsets);
    m.put("file_sizes", fileSizes);
    m.put("rate_caps", json(rateCaps));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      c.write(java.nio.ByteBuffer.wrap(JSON.writeValueAsBytes(m)));
      c.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
