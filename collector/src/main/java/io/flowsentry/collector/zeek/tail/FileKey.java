package io.flowsentry.collector.zeek.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Device and inode of a file: what stays the same when Zeek renames a log at rotation and
 * changes when a new file takes the name. Only half of a file's identity: inodes are reused
 * after deletion, so {@link FileIdentity} adds a fingerprint of the content.
 */
public record FileKey(long dev, long ino) {

  /** The key of the file at {@code path} now (following symlinks), with its size. */
  public static Stat stat(Path path) throws IOException {
    Map<String, Object> a = Files.readAttributes(path, "unix:dev,ino,size");
    return new Stat(new FileKey(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()),
        ((Number) a.get("size")).longValue());
  }

  /** A key and the size seen with it. */
  public record Stat(FileKey key, long size) {}
}
