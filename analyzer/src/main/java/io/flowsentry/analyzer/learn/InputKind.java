package io.flowsentry.analyzer.learn;

import io.flowsentry.collector.zeek.ZeekLogReader;
import io.flowsentry.collector.zeek.replay.ZeekLogKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * What a {@code learn} input file holds, told from its content (gzip undone): a pcap or pcapng
 * capture of NetFlow/IPFIX/sFlow exports, an alarm log ({@code alarms.log}, {@code <policy>.log},
 * a shadow policy's log), a Zeek dns.log, or a conn.log (TSV, JSON, or the events sink's JSON lines).
 */
public enum InputKind {
  CAPTURE, ALARM_LOG, DNS_LOG, CONN_LOG;

  private static final Pattern ALARM_LINE = Pattern.compile("^\\d{1,12}(\\.\\d{1,6})? [A-Za-z_]+ \\S+/\\S+ > \\S+/\\S+ : .*");
  private static final int HEAD_BYTES = 64 * 1024;

  /** @throws IOException when the file cannot be read */
  public static InputKind of(Path file) throws IOException {
    byte[] head;
    try (InputStream in = ZeekLogReader.open(file)) {
      head = in.readNBytes(HEAD_BYTES);
    }
    if (head.length >= 4) {
      int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8) | (head[3] & 0xFF);
      if (magic == 0xa1b2c3d4 || magic == 0xd4c3b2a1 || magic == 0xa1b23c4d || magic == 0x4d3cb2a1 || magic == 0x0a0d0d0a) {
        return CAPTURE;
      }
    }
    String text = new String(head, StandardCharsets.UTF_8);
    String first = text.lines().filter(l -> !l.isBlank()).findFirst().orElse("");
    if (ALARM_LINE.matcher(first).matches() || first.matches("^\\d{1,12}(\\.\\d{1,6})? AlarmsSummarized .*")) return ALARM_LOG;
    return ZeekLogKind.of(file) == ZeekLogKind.DNS ? DNS_LOG : CONN_LOG;
  }
}
