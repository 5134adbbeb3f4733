package io.flowsentry.collector.zeek.tail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints of the Zeek inputs in {@code <state_dir>/zeek/}, one JSON file per configured
 * path. A checkpoint is written to a temporary file, forced to disk and renamed over the old
 * one (atomic move), so a crash leaves either the old or the new checkpoint, never half of one.
 */
public final class CheckpointStore {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
  private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path dir;

  public CheckpointStore(Path stateDir) {
    this.dir = stateDir.resolve("zeek");
  }

  /** The file holding the checkpoint of a configured path: a readable part and a hash against collisions. */
  public Path fileFor(String configuredPath) {
    String readable = configuredPath.replaceAll("[^A-Za-z0-9._-]+", "_");
    if (readable.length() > 80) readable = readable.substring(readable.length() - 80);
    return dir.resolve(readable + "-" + FileIdentity.sha256Hex(configuredPath, 4) + ".json");
  }

  /** The stored checkpoint; empty when there is none or it cannot be read (logged: the input then starts fresh). */
  public Optional<Checkpoint> load(String configuredPath) {
    Path f = fileFor(configuredPath);
    if (!Files.exists(f)) return Optional.empty();
    try {
      Checkpoint c = JSON.readValue(f.toFile(), Checkpoint.class);
      return configuredPath.equals(c.path()) ? Optional.of(c) : Optional.empty();
    } catch (IOException e) {
      LOG.error("zeek checkpoint {} unreadable, {} starts without it: {}", f, configuredPath, e.getMessage());
      return Optional.empty();
    }
  }

  public void save(Checkpoint checkpoint) throws IOException {
    Files.createDirectories(dir);
    Path target = fileFor(checkpoint.path());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    byte[] bytes = JSON.writeValueAsString(checkpoint).getBytes(StandardCharsets.UTF_8);
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer bb = ByteBuffer.wrap(bytes);
      while (bb.hasRemaining()) ch.write(bb);
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("state directory " + dir + " does not support atomic rename", e);
    }
  }
}
