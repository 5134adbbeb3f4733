package io.flowsentry.collector.zeek.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.flowsentry.collector.event.IpAddr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line of a Zeek JSON log ({@code LogAscii::use_json=T}) to an event: a flat object with
 * dotted keys ({@code "id.orig_h"}), unset fields omitted. Nested objects ({@code "id": {...}},
 * as some shippers rewrite it) are read as dotted keys too. {@code ts} may be epoch seconds
 * ({@code JSON::TS_EPOCH}), integer epoch milliseconds ({@code JSON::TS_MILLIS}: an integer of
 * 11 or more digits, which as seconds would lie past year 5000) or ISO 8601
 * ({@code JSON::TS_ISO8601}). Lines as Zeek writes them go through {@link FlatJsonScanner};
 * Jackson reads the rest. Pure (no I/O); not thread-safe: one instance per file.
 */
public final class JsonLineParser {
  private static final int MAX_DEPTH = 8;
  private static final long MILLIS_THRESHOLD = 100_000_000_000L;
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).maxNumberLength(64).build())
      .build();

  private final boolean keepRaw;
  private final EventFields fields = new EventFields();
  private final StringCache cache = new StringCache();
  private final FlatJsonScanner fast = new FlatJsonScanner(cache);
  /** The current JSON string or number as ASCII bytes, for the byte-level value readers. */
  private final byte[] scratch = new byte[64];
  private int scratchLength;

  public JsonLineParser(boolean keepRaw) {
    this.keepRaw = keepRaw;
  }

  /** Parses {@code b[from, to)} (no line terminator) into an event or a bad-line outcome. */
  public LineOutcome parse(byte[] b, int from, int to, String exporter) {
    EventFields f = fields;
    f.reset();
    if (!keepRaw) {
      LineOutcome o = parseFast(b, from, to, exporter);
      if (o != null) return o;
      f.reset();
    } else {
      f.raw = new LinkedHashMap<>();
    }
    return parseWithJackson(b, from, to, exporter, f);
  }

  /** The fast path alone: the outcome, or null where it leaves the line to Jackson. */
  LineOutcome parseFast(byte[] b, int from, int to, String exporter) {
    fields.reset();
    return fast.scan(b, from, to, fields) ? fields.toOutcome(exporter) : null;
  }

  /** The full parser: every valid JSON form, the bad-line reasons, and {@code raw}. */
  LineOutcome parseWithJackson(byte[] b, int from, int to, String exporter) {
    fields.reset();
    return parseWithJackson(b, from, to, exporter, fields);
  }

  private LineOutcome parseWithJackson(byte[] b, int from, int to, String exporter, EventFields f) {
    try (JsonParser p = FACTORY.createParser(b, from, to - from)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return LineOutcome.bad(BadLineReason.BAD_JSON, "not an object");
      LineOutcome bad = readObject(p, "", f);
      if (bad != null) return bad;
      if (p.nextToken() != null) return LineOutcome.bad(BadLineReason.BAD_JSON, "text after the object");
    } catch (IOException | RuntimeException e) {
      // Jackson reports malformed input as StreamReadException (IOException) and limits as runtime exceptions
      return LineOutcome.bad(BadLineReason.BAD_JSON, String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
    return f.toOutcome(exporter);
  }

  private LineOutcome readObject(JsonParser p, String prefix, EventFields f) throws IOException {
    for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
      if (t != JsonToken.FIELD_NAME) return LineOutcome.bad(BadLineReason.BAD_JSON, "expected a key");
      String key = prefix.isEmpty() ? p.currentName() : prefix + p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.START_OBJECT) {
        LineOutcome bad = readObject(p, key + ".", f);
        if (bad != null) return bad;
        continue;
      }
      LineOutcome bad = readValue(p, key, value, f);
      if (bad != null) return bad;
    }
    return null;
  }

  private LineOutcome readValue(JsonParser p, String key, JsonToken value, EventFields f) throws IOException {
    if (value == JsonToken.VALUE_NULL) return null; // an unset field written as null by some shippers
    if (f.raw != null) f.raw.put(key, rawValue(p, value));
    else if (value == JsonToken.START_ARRAY) p.skipChildren();
    return switch (ConnField.of(key)) {
      case TS -> readTs(p, value, f);
      case UID -> { f.uid = text(p, value); yield null; }
      case ORIG_H -> (f.origH = address(p, value)) == null ? badAddress(p, key) : null;
      case RESP_H -> (f.respH = address(p, value)) == null ? badAddress(p, key) : null;
      case ORIG_P -> (f.origP = (int) count(p, value, 65535)) < 0 ? badNumber(p, key) : null;
      case RESP_P -> (f.respP = (int) count(p, value, 65535)) < 0 ? badNumber(p, key) : null;
      case IP_PROTO -> (f.ipProto = (int) count(p, value, 255)) < 0 ? badNumber(p, key) : null;
      case PROTO -> { f.proto = proto(p, value); yield null; }
      case SERVICE -> { f.service = cachedText(p, value); yield null; }
      case CONN_STATE -> { f.connState = cachedText(p, value); yield null; }
      case DURATION -> (f.durationMicros = micros(p, value)) < 0 ? badNumber(p, key) : null;
      case ORIG_BYTES -> (f.origBytes = count(p, value, Long.MAX_VALUE)) < 0 ? badNumber(p, key) : null;
      case RESP_BYTES -> (f.respBytes = count(p, value, Long.MAX_VALUE)) < 0 ? badNumber(p, key) : null;
      case ORIG_PKTS -> (f.origPkts = count(p, value, Long.MAX_VALUE)) < 0 ? badNumber(p, key) : null;
      case ORIG_IP_BYTES -> (f.origIpBytes = count(p, value, Long.MAX_VALUE)) < 0 ? badNumber(p, key) : null;
      case RESP_PKTS -> (f.respPkts = count(p, value, Long.MAX_VALUE)) < 0 ? badNumber(p, key) : null;
      case RESP_IP_BYTES -> (f.respIpBytes = count(p, value, Long.MAX_VALUE)) < 0 ? badNumber(p, key) : null;
      case OTHER -> null;
    };
  }

  private LineOutcome readTs(JsonParser p, JsonToken value, EventFields f) throws IOException {
    long micros;
    if (value == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= MILLIS_THRESHOLD) {
      micros = Math.multiplyExact(p.getLongValue(), 1000L);
    } else if (value == JsonToken.VALUE_NUMBER_FLOAT && ascii(p)) {
      micros = ZeekText.micros(scratch, 0, scratchLength);
    } else {
      micros = ZeekText.INVALID;
    }
    if (micros != ZeekText.INVALID) {
      f.tsMicros = micros;
      f.tsSeen = true;
      return null;
    }
    return readTsText(p, value, f);
  }

  /** The rarer forms: integer seconds, ISO 8601, quoted epoch, the test-suite mask. */
  private static LineOutcome readTsText(JsonParser p, JsonToken value, EventFields f) throws IOException {
    String text = value == JsonToken.START_ARRAY ? "[...]" : p.getText();
    long micros;
    if (value.isNumeric()) {
      micros = ZeekText.micros(text);
    } else if (value == JsonToken.VALUE_STRING && !text.isEmpty() && text.charAt(0) == 'X') {
      return LineOutcome.bad(BadLineReason.MASKED_TIMESTAMP, "ts " + text);
    } else if (value == JsonToken.VALUE_STRING) {
      micros = isoMicros(text);
    } else {
      micros = ZeekText.INVALID;
    }
    if (micros == ZeekText.INVALID) return LineOutcome.bad(BadLineReason.BAD_TIMESTAMP, "ts " + clip(text));
    f.tsMicros = micros;
    f.tsSeen = true;
    return null;
  }

  /** ISO 8601 with zone ({@code 2011-03-18T19:06:08.309123Z}), or epoch seconds quoted as a string. */
  public static long isoMicros(String text) {
    if (text.indexOf('T') < 0) return ZeekText.micros(text);
    try {
      Instant t = text.endsWith("Z") ? Instant.parse(text) : OffsetDateTime.parse(text).toInstant();
      if (t.getEpochSecond() < 0) return ZeekText.INVALID;
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    } catch (DateTimeParseException | ArithmeticException e) {
      return ZeekText.INVALID;
    }
  }

  private static String text(JsonParser p, JsonToken value) throws IOException {
    return value.isScalarValue() ? p.getText() : null;
  }

  private IpAddr address(JsonParser p, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING && ascii(p) ? ZeekText.address(scratch, 0, scratchLength) : null;
  }

  private String cachedText(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_STRING && ascii(p)) return cache.get(scratch, 0, scratchLength);
    return text(p, value);
  }

  /** Copies the current token's text into {@link #scratch} if it is short ASCII without backslashes. */
  private boolean ascii(JsonParser p) throws IOException {
    int len = p.getTextLength();
    if (len > scratch.length) return false;
    char[] chars = p.getTextCharacters();
    int off = p.getTextOffset();
    for (int i = 0; i < len; i++) {
      char c = chars[off + i];
      if (c >= 0x80 || c == '\\') return false;
      scratch[i] = (byte) c;
    }
    scratchLength = len;
    return true;
  }

  /** A JSON integer from 0 to {@code max}, else -1 ({@link EventFields#ABSENT} is never a valid input here). */
  private static long count(JsonParser p, JsonToken value, long max) throws IOException {
    if (value != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return -1;
    long v = p.getLongValue();
    return v < 0 || v > max ? -1 : v;
  }

  private long micros(JsonParser p, JsonToken value) throws IOException {
    if (!value.isNumeric() || !ascii(p)) return -1;
    long v = ZeekText.micros(scratch, 0, scratchLength);
    return v == ZeekText.INVALID ? -1 : v;
  }

  private static int proto(JsonParser p, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT) return (int) count(p, value, 255);
    if (value != JsonToken.VALUE_STRING) return -1;
    byte[] ascii = p.getText().getBytes(StandardCharsets.ISO_8859_1);
    return ZeekText.protoNumber(ascii, 0, ascii.length, false);
  }

  private static Object rawValue(JsonParser p, JsonToken value) throws IOException {
    return switch (value) {
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? p.getText() : p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case START_ARRAY -> rawArray(p);
      default -> p.getText();
    };
  }

  private static List<Object> rawArray(JsonParser p) throws IOException {
    List<Object> items = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        p.skipChildren();
      } else {
        items.add(rawValue(p, t));
      }
    }
    return items;
  }

  private static LineOutcome badAddress(JsonParser p, String key) throws IOException {
    return LineOutcome.bad(BadLineReason.BAD_ADDRESS, key + " " + clip(p.getText()));
  }

  private static LineOutcome badNumber(JsonParser p, String key) throws IOException {
    return LineOutcome.bad(BadLineReason.BAD_NUMBER, key + " " + clip(p.getText()));
  }

  private static String clip(String s) {
    return s == null || s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }
}
