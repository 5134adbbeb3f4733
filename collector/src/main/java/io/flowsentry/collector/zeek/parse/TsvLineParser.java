package io.flowsentry.collector.zeek.parse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One TSV data line to an event, for one {@link TsvHeader}. Pure (no I/O) and allocation-light:
 * columns are located once into reused offset arrays and only the values an event needs are
 * read. Not thread-safe: one instance per file being read.
 */
public final class TsvLineParser {
  private final TsvHeader header;
  private final int[] index;
  private final int columns;
  private final int[] starts;
  private final int[] ends;
  private final byte[] unset;
  private final byte[] empty;
  private final boolean keepRaw;
  private final EventFields fields = new EventFields();
  private final StringCache cache = new StringCache();

  public TsvLineParser(TsvHeader header, boolean keepRaw) {
    this.header = header;
    this.index = header.columnIndexes();
    this.columns = header.fields().size();
    this.starts = new int[columns];
    this.ends = new int[columns];
    this.unset = header.unsetBytes();
    this.empty = header.emptyBytes();
    this.keepRaw = keepRaw;
  }

  public TsvHeader header() {
    return header;
  }

  /** Parses {@code b[from, to)} (no line terminator) into an event or a bad-line outcome. */
  public LineOutcome parse(byte[] b, int from, int to, String exporter) {
    int n = split(b, from, to);
    if (n != columns) {
      return LineOutcome.bad(BadLineReason.COLUMN_COUNT, n + " columns (expected: " + columns + ")");
    }
    EventFields f = fields;
    f.reset();
    int ts = index[ConnField.TS.ordinal()];
    if (ts >= 0 && !isUnset(b, ts)) {
      if (ZeekText.isMasked(b, starts[ts], ends[ts])) {
        return LineOutcome.bad(BadLineReason.MASKED_TIMESTAMP, "ts " + text(b, ts));
      }
      f.tsMicros = ZeekText.micros(b, starts[ts], ends[ts]);
      if (f.tsMicros == ZeekText.INVALID) return LineOutcome.bad(BadLineReason.BAD_TIMESTAMP, "ts " + text(b, ts));
      f.tsSeen = true;
    }
    LineOutcome bad = readAddresses(b, f);
    if (bad == null) bad = readNumbers(b, f);
    if (bad != null) return bad;
    f.uid = string(b, index[ConnField.UID.ordinal()]);
    f.service = cached(b, index[ConnField.SERVICE.ordinal()]);
    f.connState = cached(b, index[ConnField.CONN_STATE.ordinal()]);
    if (keepRaw) f.raw = raw(b);
    return f.toOutcome(exporter);
  }

  /** Records column boundaries; returns the column count (stops counting past the header's). */
  private int split(byte[] b, int from, int to) {
    byte sep = header.separator();
    int col = 0;
    int start = from;
    for (int i = from; i < to; i++) {
      if (b[i] == sep) {
        if (col >= columns) return col + 1;
        starts[col] = start;
        ends[col++] = i;
        start = i + 1;
      }
    }
    if (col >= columns) return col + 1;
    starts[col] = start;
    ends[col++] = to;
    return col;
  }

  private LineOutcome readAddresses(byte[] b, EventFields f) {
    int oh = index[ConnField.ORIG_H.ordinal()];
    int rh = index[ConnField.RESP_H.ordinal()];
    if (oh >= 0 && !isUnset(b, oh)) {
      f.origH = ZeekText.address(b, starts[oh], ends[oh]);
      if (f.origH == null) return LineOutcome.bad(BadLineReason.BAD_ADDRESS, "id.orig_h " + text(b, oh));
    }
    if (rh >= 0 && !isUnset(b, rh)) {
      f.respH = ZeekText.address(b, starts[rh], ends[rh]);
      if (f.respH == null) return LineOutcome.bad(BadLineReason.BAD_ADDRESS, "id.resp_h " + text(b, rh));
    }
    return null;
  }

  private LineOutcome readNumbers(byte[] b, EventFields f) {
    final long x = ZeekText.INVALID;
    long origP, respP, ipProto, duration;
    if ((origP = number(b, ConnField.ORIG_P, 65535)) == x) return badNumber(b, ConnField.ORIG_P);
    if ((respP = number(b, ConnField.RESP_P, 65535)) == x) return badNumber(b, ConnField.RESP_P);
    if ((ipProto = number(b, ConnField.IP_PROTO, 255)) == x) return badNumber(b, ConnField.IP_PROTO);
    if ((duration = micros(b, ConnField.DURATION)) == x) return badNumber(b, ConnField.DURATION);
    if ((f.origBytes = number(b, ConnField.ORIG_BYTES, Long.MAX_VALUE)) == x) return badNumber(b, ConnField.ORIG_BYTES);
    if ((f.respBytes = number(b, ConnField.RESP_BYTES, Long.MAX_VALUE)) == x) return badNumber(b, ConnField.RESP_BYTES);
    if ((f.origPkts = number(b, ConnField.ORIG_PKTS, Long.MAX_VALUE)) == x) return badNumber(b, ConnField.ORIG_PKTS);
    if ((f.origIpBytes = number(b, ConnField.ORIG_IP_BYTES, Long.MAX_VALUE)) == x) return badNumber(b, ConnField.ORIG_IP_BYTES);
    if ((f.respPkts = number(b, ConnField.RESP_PKTS, Long.MAX_VALUE)) == x) return badNumber(b, ConnField.RESP_PKTS);
    if ((f.respIpBytes = number(b, ConnField.RESP_IP_BYTES, Long.MAX_VALUE)) == x) return badNumber(b, ConnField.RESP_IP_BYTES);
    f.origP = (int) Math.max(origP, 0);
    f.respP = (int) Math.max(respP, 0);
    f.ipProto = (int) ipProto;
    f.durationMicros = duration;
    int proto = index[ConnField.PROTO.ordinal()];
    if (proto >= 0 && !isUnset(b, proto)) f.proto = ZeekText.protoNumber(b, starts[proto], ends[proto], false);
    return null;
  }

  private LineOutcome badNumber(byte[] b, ConnField field) {
    return LineOutcome.bad(BadLineReason.BAD_NUMBER, field.zeekName() + " " + text(b, index[field.ordinal()]));
  }

  /** A count column: -1 when absent or unset, INVALID when not a number up to {@code max}. */
  private long number(byte[] b, ConnField field, long max) {
    int c = index[field.ordinal()];
    if (c < 0 || isUnset(b, c)) return EventFields.ABSENT;
    long v = ZeekText.count(b, starts[c], ends[c]);
    return v > max ? ZeekText.INVALID : v;
  }

  private long micros(byte[] b, ConnField field) {
    int c = index[field.ordinal()];
    if (c < 0 || isUnset(b, c)) return EventFields.ABSENT;
    return ZeekText.micros(b, starts[c], ends[c]);
  }

  private String string(byte[] b, int c) {
    if (c < 0 || isUnset(b, c)) return null;
    if (is(b, c, empty)) return "";
    return ZeekText.unescape(b, starts[c], ends[c]);
  }

  private String cached(byte[] b, int c) {
    if (c < 0 || isUnset(b, c)) return null;
    if (is(b, c, empty)) return "";
    return cache.get(b, starts[c], ends[c]);
  }

  private boolean isUnset(byte[] b, int c) {
    return is(b, c, unset);
  }

  private boolean is(byte[] b, int c, byte[] value) {
    int s = starts[c];
    return ends[c] - s == value.length && Arrays.equals(b, s, ends[c], value, 0, value.length);
  }

  private String text(byte[] b, int c) {
    return ZeekText.unescape(b, starts[c], Math.min(ends[c], starts[c] + 64));
  }

  /** Every set column by name, typed by {@code #types}: counts as Long, sets and vectors as lists. */
  private Map<String, Object> raw(byte[] b) {
    Map<String, Object> raw = new LinkedHashMap<>();
    List<String> names = header.fields();
    List<String> types = header.types();
    for (int c = 0; c < columns; c++) {
      if (isUnset(b, c)) continue;
      String type = c < types.size() ? types.get(c) : "string";
      raw.put(names.get(c), typed(b, c, type));
    }
    return raw;
  }

  private Object typed(byte[] b, int c, String type) {
    if (type.startsWith("set[") || type.startsWith("vector[")) {
      List<String> items = new ArrayList<>();
      if (is(b, c, empty)) return items;
      byte[] sep = header.setSeparator().getBytes(StandardCharsets.UTF_8);
      int at = starts[c];
      for (int i = at; i <= ends[c] - sep.length && sep.length > 0; i++) {
        if (Arrays.equals(b, i, i + sep.length, sep, 0, sep.length)) {
          items.add(ZeekText.unescape(b, at, i));
          at = i + sep.length;
          i = at - 1;
        }
      }
      items.add(ZeekText.unescape(b, at, ends[c]));
      return items;
    }
    if (type.equals("count") || type.equals("port")) {
      long v = ZeekText.count(b, starts[c], ends[c]);
      if (v != ZeekText.INVALID) return v;
    }
    if (type.equals("bool")) return ZeekText.equalsAscii(b, starts[c], ends[c], "T");
    return string(b, c);
  }
}
