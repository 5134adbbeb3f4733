package io.flowsentry.collector.zeek.parse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link JsonLineParser} for the lines Zeek actually writes: one flat object,
 * ASCII strings without escapes, plain numbers, arrays of scalars. It reads such a line into
 * {@link EventFields} with no allocation beyond the values kept, and gives up (returns false)
 * on anything else — escapes, non-ASCII, nested objects, odd value types, any value the event
 * would reject, any syntax error — so Jackson reads that line and decides. Whatever this class
 * accepts, Jackson reads to the same event (checked by a differential fuzz test).
 */
final class FlatJsonScanner {
  private static final long MILLIS_THRESHOLD = 100_000_000_000L;
  /** Jackson's number length limit as {@link JsonLineParser} configures it. */
  private static final int MAX_NUMBER_LENGTH = 64;
  private static final byte[][][] NAMES_BY_LENGTH = new byte[32][][];
  private static final ConnField[][] FIELDS_BY_LENGTH = new ConnField[32][];

  static {
    for (int len = 0; len < 32; len++) {
      NAMES_BY_LENGTH[len] = new byte[0][];
      FIELDS_BY_LENGTH[len] = new ConnField[0];
    }
    for (ConnField f : ConnField.values()) {
      if (f == ConnField.OTHER) continue;
      for (String name : new String[] {f.zeekName(), f.zeekName().replace('.', '_')}) {
        byte[] b = name.getBytes(StandardCharsets.US_ASCII);
        int n = NAMES_BY_LENGTH[b.length].length;
        NAMES_BY_LENGTH[b.length] = Arrays.copyOf(NAMES_BY_LENGTH[b.length], n + 1);
        FIELDS_BY_LENGTH[b.length] = Arrays.copyOf(FIELDS_BY_LENGTH[b.length], n + 1);
        NAMES_BY_LENGTH[b.length][n] = b;
        FIELDS_BY_LENGTH[b.length][n] = f;
      }
    }
  }

  private final StringCache cache;
  private byte[] b;
  private int i;
  private int end;

  FlatJsonScanner(StringCache cache) {
    this.cache = cache;
  }

  /** Reads {@code line[from, to)} into {@code f}; false when the line needs the full parser. */
  boolean scan(byte[] line, int from, int to, EventFields f) {
    b = line;
    i = from;
    end = to;
    skipWs();
    if (!take('{')) return false;
    skipWs();
    if (peek() == '}') {
      i++;
    } else {
      while (true) {
        if (!member(f)) return false;
        skipWs();
        if (take(',')) {
          skipWs();
          continue;
        }
        if (take('}')) break;
        return false;
      }
    }
    skipWs();
    return i == end;
  }

  private boolean member(EventFields f) {
    int keyStart = i + 1;
    if (!string()) return false;
    ConnField field = field(keyStart, i - 1);
    skipWs();
    if (!take(':')) return false;
    skipWs();
    int valueStart = i;
    int c = peek();
    if (c == '"') {
      return string() && stringValue(field, valueStart + 1, i - 1, f);
    }
    if (c == '-' || c >= '0' && c <= '9') {
      int kind = number();
      return kind != 0 && numberValue(field, valueStart, i, kind == 1, f);
    }
    if (c == '[') return field == ConnField.OTHER && array();
    if (literal("null")) return true; // an unset field some shippers write as null
    return field == ConnField.OTHER && (literal("true") || literal("false"));
  }

  private boolean stringValue(ConnField field, int from, int to, EventFields f) {
    switch (field) {
      case UID -> f.uid = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
      case SERVICE -> f.service = cache.get(b, from, to);
      case CONN_STATE -> f.connState = cache.get(b, from, to);
      case ORIG_H -> f.origH = ZeekText.address(b, from, to);
      case RESP_H -> f.respH = ZeekText.address(b, from, to);
      case PROTO -> f.proto = ZeekText.protoNumber(b, from, to, false);
      case OTHER -> { }
      default -> { return false; } // ts as ISO 8601, numbers as strings: the full parser
    }
    return (field != ConnField.ORIG_H || f.origH != null) && (field != ConnField.RESP_H || f.respH != null);
  }

  private boolean numberValue(ConnField field, int from, int to, boolean integer, EventFields f) {
    if (field == ConnField.OTHER) return true;
    if (field == ConnField.TS) return ts(from, to, integer, f);
    if (field == ConnField.DURATION) {
      f.durationMicros = ZeekText.micros(b, from, to);
      return f.durationMicros != ZeekText.INVALID;
    }
    long v = integer ? ZeekText.count(b, from, to) : ZeekText.INVALID;
    if (v == ZeekText.INVALID) return false;
    switch (field) {
      case ORIG_P -> f.origP = (int) v;
      case RESP_P -> f.respP = (int) v;
      case IP_PROTO -> f.ipProto = (int) v;
      case PROTO -> f.proto = (int) v;
      case ORIG_BYTES -> f.origBytes = v;
      case RESP_BYTES -> f.respBytes = v;
      case ORIG_PKTS -> f.origPkts = v;
      case ORIG_IP_BYTES -> f.origIpBytes = v;
      case RESP_PKTS -> f.respPkts = v;
      case RESP_IP_BYTES -> f.respIpBytes = v;
      default -> { return false; } // uid, service, conn_state written as numbers
    }
    int max = field == ConnField.ORIG_P || field == ConnField.RESP_P ? 65535
        : field == ConnField.IP_PROTO || field == ConnField.PROTO ? 255 : Integer.MAX_VALUE;
    return max == Integer.MAX_VALUE || v <= max;
  }

  private boolean ts(int from, int to, boolean integer, EventFields f) {
    long micros;
    if (integer) {
      long v = ZeekText.count(b, from, to);
      if (v == ZeekText.INVALID || v > Long.MAX_VALUE / 1000) return false;
      micros = v >= MILLIS_THRESHOLD ? v * 1000 : v * 1_000_000L;
      if (v < MILLIS_THRESHOLD && v > Long.MAX_VALUE / 1_000_000L) return false;
    } else {
      micros = ZeekText.micros(b, from, to);
      if (micros == ZeekText.INVALID) return false;
    }
    f.tsMicros = micros;
    f.tsSeen = true;
    return true;
  }

  private ConnField field(int from, int to) {
    int len = to - from;
    if (len >= NAMES_BY_LENGTH.length) return ConnField.OTHER;
    byte[][] names = NAMES_BY_LENGTH[len];
    for (int k = 0; k < names.length; k++) {
      if (Arrays.equals(names[k], 0, len, b, from, to)) return FIELDS_BY_LENGTH[len][k];
    }
    return ConnField.OTHER;
  }

  /** A string of printable ASCII without escapes; leaves {@link #i} after the closing quote. */
  private boolean string() {
    if (!take('"')) return false;
    while (i < end) {
      byte c = b[i++];
      if (c == '"') return true;
      if (c == '\\' || c < 0x20) return false; // escapes, control bytes and non-ASCII (negative)
    }
    return false;
  }

  /** A JSON number per RFC 8259 section 6: 1 integer, 2 with fraction or exponent, 0 not one. */
  private int number() {
    int start = i;
    take('-');
    if (take('0')) {
      if (digit()) return 0; // leading zero
    } else if (!digits()) {
      return 0;
    }
    int kind = 1;
    if (take('.')) {
      if (!digits()) return 0;
      kind = 2;
    }
    if (peek() == 'e' || peek() == 'E') {
      i++;
      if (!take('+')) take('-');
      if (!digits()) return 0;
      kind = 2;
    }
    if (i - start > MAX_NUMBER_LENGTH) return 0;
    int c = peek();
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == -1 ? kind : 0;
  }

  private boolean digits() {
    if (!digit()) return false;
    while (digit()) {
      // consume the run
    }
    return true;
  }

  private boolean digit() {
    if (i < end && b[i] >= '0' && b[i] <= '9') {
      i++;
      return true;
    }
    return false;
  }

  /** An array of strings, numbers and literals (Zeek's sets and vectors), skipped. */
  private boolean array() {
    i++;
    skipWs();
    if (take(']')) return true;
    while (true) {
      int c = peek();
      boolean ok = c == '"' ? string()
          : c == '-' || c >= '0' && c <= '9' ? number() != 0
          : literal("true") || literal("false") || literal("null");
      if (!ok) return false;
      skipWs();
      if (take(']')) return true;
      if (!take(',')) return false;
      skipWs();
    }
  }

  private boolean literal(String word) {
    int n = word.length();
    if (end - i < n || !ZeekText.equalsAscii(b, i, i + n, word)) return false;
    int after = i + n < end ? b[i + n] : -1;
    if (after >= 'a' && after <= 'z' || after >= 'A' && after <= 'Z' || after >= '0' && after <= '9') return false;
    i += n;
    return true;
  }

  private int peek() {
    return i < end ? b[i] : -1;
  }

  private boolean take(char c) {
    if (i < end && b[i] == c) {
      i++;
      return true;
    }
    return false;
  }

  private void skipWs() {
    while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) i++;
  }
}
