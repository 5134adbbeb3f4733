package io.flowsentry.collector.zeek.dns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.zeek.parse.BadLineReason;
import io.flowsentry.collector.zeek.parse.JsonLineParser;
import io.flowsentry.collector.zeek.parse.ZeekText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The lines of one Zeek dns.log, in order, to what they teach ({@link DnsLine}). TSV (header
 * directives as Zeek writes them; a new {@code #fields} block replaces the one in force) or JSON
 * ({@code LogAscii::use_json=T}, told by the first non-blank line). Uses {@code ts},
 * {@code id.orig_h}, {@code query}, {@code answers} and {@code TTLs}; answers that are not
 * address literals (CNAME targets, TXT, ...) are left out, their TTLs kept aligned. Pure: no
 * I/O, no clock; not thread-safe (one instance per file being read).
 */
public final class DnsLogParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] NEEDED = {"ts", "id.orig_h", "query", "answers"};

  private enum Format { UNKNOWN, TSV, JSON }

  private Format format = Format.UNKNOWN;
  private byte separator = '\t';
  private byte setSeparator = ',';
  private String unsetField = "-";
  private String emptyField = "(empty)";
  /** Column of ts, id.orig_h, query, answers, TTLs in the #fields in force; -1 = absent; null = no header yet. */
  private int[] columns;
  private int columnCount;

  public DnsLine parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /** One line {@code b[from, to)}, without its newline (a trailing CR is ignored). */
  public DnsLine parse(byte[] b, int from, int to) {
    if (to > from && b[to - 1] == '\r') to--;
    if (to == from) return DnsLine.Nothing.INSTANCE;
    if (format == Format.UNKNOWN) format = b[from] == '{' ? Format.JSON : Format.TSV;
    if (format == Format.JSON) return json(new String(b, from, to - from, StandardCharsets.UTF_8));
    if (b[from] == '#') {
      directive(b, from, to);
      return DnsLine.Nothing.INSTANCE;
    }
    return tsv(b, from, to);
  }

  /** A line processed in an earlier run: header lines update the state, data lines are not read. */
  public void skip(byte[] b, int from, int to) {
    if (to > from && b[to - 1] == '\r') to--;
    if (to == from) return;
    if (format == Format.UNKNOWN) format = b[from] == '{' ? Format.JSON : Format.TSV;
    if (format == Format.TSV && (b[from] == '#' || columns == null)) parse(b, from, to);
  }

  private void directive(byte[] b, int from, int to) {
    String separatorValue = ZeekText.separatorDirective(b, from, to);
    if (separatorValue != null) {
      if (separatorValue.length() == 1) separator = (byte) separatorValue.charAt(0);
      return;
    }
    int nameEnd = ZeekText.directiveNameEnd(b, from, to, separator);
    String name = new String(b, from, nameEnd - from, StandardCharsets.ISO_8859_1);
    int v = Math.min(nameEnd + 1, to);
    switch (name) {
      case "#set_separator" -> {
        String value = ZeekText.unescape(b, v, to);
        if (value.length() == 1) setSeparator = (byte) value.charAt(0);
      }
      case "#unset_field" -> unsetField = ZeekText.unescape(b, v, to);
      case "#empty_field" -> emptyField = ZeekText.unescape(b, v, to);
      case "#fields" -> {
        List<String> names = new ArrayList<>();
        for (int[] span : split(b, v, to, separator)) names.add(ZeekText.unescape(b, span[0], span[1]));
        fieldNames(names);
      }
      default -> { } // #path, #open, #types, #close, comments
    }
  }

  private void fieldNames(List<String> names) {
    columnCount = names.size();
    columns = new int[] {names.indexOf("ts"), names.indexOf("id.orig_h"), names.indexOf("query"),
        names.indexOf("answers"), names.indexOf("TTLs")};
  }

  private DnsLine tsv(byte[] b, int from, int to) {
    List<int[]> cells = split(b, from, to, separator);
    if (columns == null) {
      // zeek-cut style: one line of column names instead of the # header
      List<String> names = new ArrayList<>();
      for (int[] c : cells) names.add(ZeekText.unescape(b, c[0], c[1]));
      if (names.contains("query") && names.contains("answers")) {
        fieldNames(names);
        return DnsLine.Nothing.INSTANCE;
      }
      return new DnsLine.Bad(BadLineReason.NO_HEADER, "data before #fields");
    }
    if (cells.size() != columnCount) {
      return new DnsLine.Bad(BadLineReason.COLUMN_COUNT, cells.size() + " columns, #fields has " + columnCount);
    }
    for (int k = 0; k < NEEDED.length; k++) {
      if (columns[k] < 0) return new DnsLine.Bad(BadLineReason.MISSING_FIELD, "no " + NEEDED[k] + " column");
    }
    int[] ts = cells.get(columns[0]);
    if (ZeekText.isMasked(b, ts[0], ts[1])) {
      return new DnsLine.Bad(BadLineReason.MASKED_TIMESTAMP, "ts " + text(b, ts));
    }
    long tsMicros = ZeekText.micros(b, ts[0], ts[1]);
    if (tsMicros == ZeekText.INVALID) return new DnsLine.Bad(BadLineReason.BAD_TIMESTAMP, "ts " + text(b, ts));
    int[] orig = cells.get(columns[1]);
    IpAddr client = ZeekText.address(b, orig[0], orig[1]);
    if (client == null) return new DnsLine.Bad(BadLineReason.BAD_ADDRESS, "id.orig_h " + text(b, orig));
    String query = value(b, cells.get(columns[2]));
    int[] answers = cells.get(columns[3]);
    if (query == null || value(b, answers) == null) return DnsLine.NoAddress.INSTANCE;
    List<int[]> answerCells = split(b, answers[0], answers[1], setSeparator);
    List<int[]> ttlCells = columns[4] < 0 || value(b, cells.get(columns[4])) == null
        ? List.of() : split(b, cells.get(columns[4])[0], cells.get(columns[4])[1], setSeparator);
    List<DnsAnswers.Resolved> resolved = new ArrayList<>();
    for (int k = 0; k < answerCells.size(); k++) {
      int[] a = answerCells.get(k);
      IpAddr address = ZeekText.address(b, a[0], a[1]);
      if (address == null) continue;
      long ttl = k < ttlCells.size() ? ZeekText.micros(b, ttlCells.get(k)[0], ttlCells.get(k)[1]) : -1;
      resolved.add(new DnsAnswers.Resolved(address, ttl == ZeekText.INVALID ? -1 : ttl));
    }
    return answered(tsMicros, client, query, resolved);
  }

  private DnsLine json(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return new DnsLine.Bad(BadLineReason.BAD_JSON, e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) return new DnsLine.Bad(BadLineReason.BAD_JSON, "not one JSON object");
    JsonNode ts = n.get("ts"), orig = n.get("id.orig_h");
    if (ts == null || orig == null) {
      return new DnsLine.Bad(BadLineReason.MISSING_FIELD, ts == null ? "no ts" : "no id.orig_h");
    }
    if (ts.isTextual() && ts.asText().startsWith("X")) {
      return new DnsLine.Bad(BadLineReason.MASKED_TIMESTAMP, "ts " + ts.asText());
    }
    long tsMicros = ts.isNumber() ? ZeekText.micros(ts.asText())
        : ts.isTextual() ? JsonLineParser.isoMicros(ts.asText()) : ZeekText.INVALID;
    if (tsMicros == ZeekText.INVALID) return new DnsLine.Bad(BadLineReason.BAD_TIMESTAMP, "ts " + ts);
    IpAddr client = orig.isTextual() ? address(orig.asText()) : null;
    if (client == null) return new DnsLine.Bad(BadLineReason.BAD_ADDRESS, "id.orig_h " + orig);
    JsonNode query = n.get("query"), answers = n.get("answers"), ttls = n.get("TTLs");
    if (query == null || !query.isTextual() || answers == null || !answers.isArray()) return DnsLine.NoAddress.INSTANCE;
    List<DnsAnswers.Resolved> resolved = new ArrayList<>();
    for (int k = 0; k < answers.size(); k++) {
      IpAddr address = answers.get(k).isTextual() ? address(answers.get(k).asText()) : null;
      if (address == null) continue;
      JsonNode ttl = ttls != null && ttls.isArray() && k < ttls.size() ? ttls.get(k) : null;
      long ttlMicros = ttl != null && ttl.isNumber() ? ZeekText.micros(ttl.asText()) : -1;
      resolved.add(new DnsAnswers.Resolved(address, ttlMicros == ZeekText.INVALID ? -1 : ttlMicros));
    }
    return answered(tsMicros, client, query.asText(), resolved);
  }

  private static DnsLine answered(long tsMicros, IpAddr client, String query, List<DnsAnswers.Resolved> resolved) {
    String name = normalizedName(query);
    if (resolved.isEmpty() || name.isEmpty()) return DnsLine.NoAddress.INSTANCE;
    return new DnsLine.Answered(new DnsAnswers(tsMicros, client, name, resolved));
  }

  /** Lower case without the trailing root dot: DNS names compare case-insensitively. */
  public static String normalizedName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static IpAddr address(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    return ZeekText.address(b, 0, b.length);
  }

  /** The cell's text, or null when it is unset or empty. */
  private String value(byte[] b, int[] cell) {
    String s = ZeekText.unescape(b, cell[0], cell[1]);
    return s.isEmpty() || s.equals(unsetField) || s.equals(emptyField) ? null : s;
  }

  private static String text(byte[] b, int[] cell) {
    return ZeekText.unescape(b, cell[0], Math.min(cell[1], cell[0] + 64));
  }

  private static List<int[]> split(byte[] b, int from, int to, byte sep) {
    List<int[]> parts = new ArrayList<>();
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || b[i] == sep) {
        parts.add(new int[] {start, i});
        start = i + 1;
      }
    }
    return parts;
  }
}
