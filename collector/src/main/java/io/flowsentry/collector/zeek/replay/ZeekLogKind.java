package io.flowsentry.collector.zeek.replay;

import io.flowsentry.collector.zeek.ZeekLogReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which Zeek log a file given to {@code replay} is, told the way Zeek's own tools tell it: the
 * TSV header's {@code #path} line; for JSON, a {@code _path} field on the first line (Zeek
 * writes one when several logs share a stream); else the file name Zeek gives it
 * ({@code dns.log}, rotated {@code dns.2026-11-28-00-00-00.log.gz}). Anything else is conn.log.
 */
public enum ZeekLogKind {
  CONN, DNS;

  /** Header lines read at most before deciding from the name. */
  private static final int HEADER_LINES = 16;
  /** Bytes read at most: a Zeek header is well below it, a JSON line rarely above. */
  private static final int HEAD_BYTES = 64 * 1024;
  private static final Pattern JSON_PATH = Pattern.compile("\"_path\"\\s*:\\s*\"([^\"]*)\"");

  /** @throws IOException when the file cannot be read */
  public static ZeekLogKind of(Path file) throws IOException {
    String head;
    try (InputStream in = ZeekLogReader.open(file)) {
      head = new String(in.readNBytes(HEAD_BYTES), StandardCharsets.UTF_8);
    }
    Path name = file.getFileName();
    return of(head, name == null ? "" : name.toString());
  }

  /** From the file's first bytes (decompressed) and its name; a pure function. */
  static ZeekLogKind of(String head, String fileName) {
    for (String line : head.lines().limit(HEADER_LINES).toList()) {
      if (line.startsWith("#path")) return named(line.substring("#path".length()).strip());
      if (line.startsWith("{")) {
        Matcher m = JSON_PATH.matcher(line);
        if (m.find()) return named(m.group(1));
        break;
      }
      if (!line.startsWith("#")) break; // a data line: the header, if any, is over
    }
    return fileName.startsWith("dns.") ? DNS : CONN;
  }

  private static ZeekLogKind named(String path) {
    return path.equals("dns") ? DNS : CONN;
  }
}
