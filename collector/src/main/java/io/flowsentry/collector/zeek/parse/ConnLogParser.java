package io.flowsentry.collector.zeek.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one conn.log, in order, to outcomes. Detects the format from the first
 * non-blank line ({@code {} → JSON, anything else → TSV), follows TSV header directives
 * (a new {@code #separator} or {@code #fields} block replaces the header in force) and
 * recognises a zeek-cut style first line of column names. Pure: no I/O, no clock, no metrics;
 * not thread-safe (one instance per file being read).
 */
public final class ConnLogParser implements ZeekLineParser {
  private final String exporter;
  private final boolean keepRaw;
  private ZeekFormat format = ZeekFormat.UNKNOWN;
  private TsvHeader header = TsvHeader.DEFAULTS;
  /** Whether the last line was a header directive: further directives extend the same block. */
  private boolean headerOpen;
  private byte separator = TsvHeader.DEFAULTS.separator();
  private String setSeparator;
  private String emptyField;
  private String unsetField;
  private String path;
  private String open;
  private List<String> fields;
  private List<String> types;
  private TsvLineParser tsv;
  private JsonLineParser json;

  /**
   * @param exporter what events carry as their exporter: the file's path
   * @param keepRaw whether events carry every column by name in {@code raw}
   */
  public ConnLogParser(String exporter, boolean keepRaw) {
    this.exporter = exporter;
    this.keepRaw = keepRaw;
  }

  public ZeekFormat format() {
    return format;
  }

  /** The TSV header in force (defaults before any). */
  public TsvHeader header() {
    return header;
  }

  public LineOutcome parse(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /** One line {@code b[from, to)}, without its newline (a trailing CR is ignored). */
  @Override
  public LineOutcome parse(byte[] b, int from, int to) {
    if (to > from && b[to - 1] == '\r') to--;
    if (to == from) return LineOutcome.Meta.INSTANCE;
    if (format == ZeekFormat.UNKNOWN) {
      format = b[from] == '{' ? ZeekFormat.JSON : ZeekFormat.TSV;
    }
    if (format == ZeekFormat.JSON) {
      if (json == null) json = new JsonLineParser(keepRaw);
      return json.parse(b, from, to, exporter);
    }
    if (b[from] == '#') {
      directive(b, from, to);
      return LineOutcome.Meta.INSTANCE;
    }
    headerOpen = false;
    if (tsv == null) {
      if (fields == null && path == null && looksLikeColumnNames(b, from, to)) {
        fields = split(b, from, to, separator);
        useHeader(true);
        return LineOutcome.Meta.INSTANCE;
      }
      return LineOutcome.bad(BadLineReason.NO_HEADER, "data before #fields");
    }
    return tsv.parse(b, from, to, exporter);
  }

  /**
   * Takes note of a line that was processed in an earlier run (resuming at a checkpoint, or
   * starting at the end of a file): header lines update the state, data lines give nothing.
   */
  @Override
  public void skip(byte[] b, int from, int to) {
    if (to > from && b[to - 1] == '\r') to--;
    if (to == from) return;
    if (format == ZeekFormat.UNKNOWN) format = b[from] == '{' ? ZeekFormat.JSON : ZeekFormat.TSV;
    if (format == ZeekFormat.JSON) return;
    if (b[from] == '#' || (tsv == null && fields == null && path == null)) {
      parse(b, from, to);
    } else {
      headerOpen = false;
    }
  }

  private void directive(byte[] b, int from, int to) {
    String separatorValue = ZeekText.separatorDirective(b, from, to);
    if (separatorValue != null) {
      startBlock();
      if (separatorValue.length() == 1) separator = (byte) separatorValue.charAt(0);
      return;
    }
    int nameEnd = ZeekText.directiveNameEnd(b, from, to, separator);
    String name = new String(b, from, nameEnd - from, StandardCharsets.ISO_8859_1);
    int v = Math.min(nameEnd + 1, to);
    switch (name) {
      case "#set_separator" -> setSeparator = startBlock(ZeekText.unescape(b, v, to));
      case "#empty_field" -> emptyField = startBlock(ZeekText.unescape(b, v, to));
      case "#unset_field" -> unsetField = startBlock(ZeekText.unescape(b, v, to));
      case "#path" -> path = startBlock(ZeekText.unescape(b, v, to));
      case "#open" -> open = startBlock(ZeekText.unescape(b, v, to));
      case "#fields" -> {
        fields = startBlock(split(b, v, to, separator));
        useHeader(false);
      }
      case "#types" -> {
        types = split(b, v, to, separator);
        if (fields != null) useHeader(false);
      }
      default -> { } // #close, and comments such as btest's "### BTest baseline data ..."
    }
  }

  private void useHeader(boolean cutStyle) {
    TsvHeader d = TsvHeader.DEFAULTS;
    header = new TsvHeader(separator, setSeparator == null ? d.setSeparator() : setSeparator,
        emptyField == null ? d.emptyField() : emptyField, unsetField == null ? d.unsetField() : unsetField,
        path, open, fields, types == null ? List.of() : types, cutStyle);
    tsv = new TsvLineParser(header, keepRaw);
  }

  private <T> T startBlock(T value) {
    startBlock();
    return value;
  }

  /** A header line after data starts a new header block (Zeek appends one when a log is reopened). */
  private void startBlock() {
    if (!headerOpen) {
      setSeparator = emptyField = unsetField = path = open = null;
      fields = types = null;
      tsv = null;
      headerOpen = true;
    }
  }

  private static List<String> split(byte[] b, int from, int to, byte sep) {
    List<String> parts = new ArrayList<>();
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || b[i] == sep) {
        parts.add(ZeekText.unescape(b, start, i));
        start = i + 1;
      }
    }
    return parts;
  }

  /** A zeek-cut style header: every column a field name, and at least one a conn.log field. */
  private boolean looksLikeColumnNames(byte[] b, int from, int to) {
    boolean known = false;
    for (String name : split(b, from, to, separator)) {
      if (!ConnField.isFieldName(name)) return false;
      known |= ConnField.isConnColumn(name);
    }
    return known;
  }
}
