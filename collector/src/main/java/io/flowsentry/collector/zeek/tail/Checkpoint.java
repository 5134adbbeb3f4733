package io.flowsentry.collector.zeek.tail;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What one configured {@code inputs.zeek} entry has processed, as stored in the state
 * directory: for every file being read, its identity and the offset just after the last line
 * whose events were handed over; and the fingerprints of logs read to their end (so a backfill
 * never reads a rotated archive twice).
 *
 * @param path the configured path (file or glob)
 * @param files the files open when the checkpoint was taken
 * @param done fingerprints of logs read completely, oldest first, bounded by {@link #MAX_DONE}
 */
public record Checkpoint(
    @JsonProperty("path") String path,
    @JsonProperty("files") List<FilePosition> files,
    @JsonProperty("done") List<String> done) {

  public static final int MAX_DONE = 1024;

  public Checkpoint {
    files = files == null ? List.of() : List.copyOf(files);
    done = done == null ? List.of() : List.copyOf(done.subList(Math.max(0, done.size() - MAX_DONE), done.size()));
  }

  /**
   * @param file the followed path (a rotated file keeps the name it was followed under) or the archive read
   * @param dev device of the file, -1 for a compressed archive
   * @param ino inode of the file, -1 for a compressed archive
   * @param fingerprint see {@link FileIdentity}, or null if not yet known
   * @param offset bytes (uncompressed) up to the end of the last line whose events were handed over
   */
  public record FilePosition(
      @JsonProperty("file") String file,
      @JsonProperty("dev") long dev,
      @JsonProperty("ino") long ino,
      @JsonProperty("fingerprint") String fingerprint,
      @JsonProperty("offset") long offset) {

    /** Whether this position belongs to a file with this identity. */
    public boolean matches(FileIdentity id) {
      boolean sameContent = fingerprint == null || fingerprint.equals(id.fingerprint());
      boolean sameInode = id.key() == null || dev == -1 || (id.key().dev() == dev && id.key().ino() == ino);
      return sameContent && sameInode && (fingerprint != null || id.key() != null && dev != -1);
    }
  }
}
