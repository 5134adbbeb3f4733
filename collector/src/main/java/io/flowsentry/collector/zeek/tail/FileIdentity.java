package io.flowsentry.collector.zeek.tail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Which file a checkpoint belongs to: device + inode, and a fingerprint of the start of its
 * content. The fingerprint tells apart files that share an inode over time (deleted and
 * reused) and finds a log again after it was renamed or compressed:
 * <ul>
 *   <li>TSV: the {@code #path} and {@code #open} lines, which every Zeek log has and which
 *       differ per file (the identical {@code #separator \x09} first lines do not count);
 *   <li>TSV without {@code #open} (Bro 2.x, zeek-cut style): {@code #path} and the first data line;
 *   <li>JSON: the first complete line.
 * </ul>
 *
 * @param key device and inode; null for a compressed archive (whose inode is not the log's)
 * @param fingerprint hex SHA-256 prefix of the text above, or null while it is not yet written
 */
public record FileIdentity(FileKey key, String fingerprint) {
  /** How far into a file the fingerprint text is looked for. */
  public static final int SCAN_BYTES = 16 * 1024;

  /** The fingerprint of a file starting with {@code head[0, len)}, or null if it cannot be told yet. */
  public static String fingerprint(byte[] head, int len) {
    String path = null;
    String open = null;
    int lineStart = 0;
    for (int i = 0; i < len; i++) {
      if (head[i] != '\n') continue;
      String line = new String(head, lineStart, i - lineStart, StandardCharsets.UTF_8);
      lineStart = i + 1;
      if (line.isBlank()) continue;
      if (line.startsWith("{")) return hash(line);
      if (line.startsWith("#path")) {
        path = line;
      } else if (line.startsWith("#open")) {
        open = line;
      } else if (!line.startsWith("#")) {
        return hash((path == null ? "" : path) + "\n" + (open != null ? open : line));
      }
      if (path != null && open != null) return hash(path + "\n" + open);
    }
    return null;
  }

  private static String hash(String text) {
    return sha256Hex(text, 16);
  }

  /** Hex of the first {@code bytes} bytes of the SHA-256 of {@code text}. */
  static String sha256Hex(String text, int bytes) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
