package io.flowsentry.collector.zeek;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;

/** Writes conn.log files the way Zeek does, with numbered connections (uid "C<n>", ts 1700000000+n). */
final class ConnLogWriter {
  enum Format { TSV, JSON }

  private final Format format;

  ConnLogWriter(Format format) {
    this.format = format;
  }

  /** The header of a new file opened at {@code open} (TSV); JSON logs have none. */
  String header(String open) {
    if (format == Format.JSON) return "";
    return ZeekTestData.connHeader(false).replace("2026-11-28-00-00-00", open);
  }

  String line(int n) {
    long ts = 1_700_000_000L + n;
    if (format == Format.JSON) {
      return "{\"ts\":" + ts + ".000001,\"uid\":\"C" + n + "\",\"id.orig_h\":\"192.168.4.7\",\"id.orig_p\":" + (1024 + n % 60000)
          + ",\"id.resp_h\":\"2001:db8::" + Integer.toHexString(n % 65536) + "\",\"id.resp_p\":443,\"proto\":\"tcp\","
          + "\"service\":\"ssl\",\"duration\":0.5,\"orig_bytes\":" + n + ",\"resp_bytes\":100,\"conn_state\":\"SF\","
          + "\"local_orig\":true,\"local_resp\":false,\"missed_bytes\":0,\"history\":\"ShADadFf\",\"orig_pkts\":10,"
          + "\"orig_ip_bytes\":900,\"resp_pkts\":8,\"resp_ip_bytes\":700}\n";
    }
    return ts + ".000001\tC" + n + "\t192.168.4.7\t" + (1024 + n % 60000) + "\t2001:db8::" + Integer.toHexString(n % 65536)
        + "\t443\ttcp\tssl\t0.500000\t" + n + "\t100\tSF\tT\tF\t0\tShADadFf\t10\t900\t8\t700\t-\n";
  }

  /** Lines {@code from} (inclusive) to {@code to} (exclusive). */
  String lines(int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int n = from; n < to; n++) sb.append(line(n));
    return sb.toString();
  }

  static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Compresses {@code file} to {@code file.gz} and deletes it, as Zeek's archiver does. */
  static Path gzipAndDelete(Path file) throws IOException {
    Path gz = file.resolveSibling(file.getFileName() + ".gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(file, out);
    }
    Files.delete(file);
    return gz;
  }
}
