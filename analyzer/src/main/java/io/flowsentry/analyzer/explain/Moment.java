package io.flowsentry.analyzer.explain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** {@code --at TIME} and {@code at=}: ISO-8601 ({@code 2026-03-01T12:00:00Z}, with any offset) or epoch seconds ({@code 1772366400.5}). */
public final class Moment {
  public static final String EXPECTED = "ISO-8601 such as 2026-03-01T12:00:00Z, or epoch seconds such as 1772366400";
  // beyond year 9999 and before 0001, neither Zeek nor Instant.toString agree any more
  private static final long MAX_SECONDS = 253_402_300_799L;

  private Moment() {}

  /** @throws IllegalArgumentException with {@link #EXPECTED} */
  public static long parseMicros(String text) {
    String s = text == null ? "" : text.strip();
    try {
      if (!s.isEmpty() && s.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'))) {
        BigDecimal seconds = new BigDecimal(s);
        if (seconds.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) throw new NumberFormatException("too far ahead");
        return seconds.movePointRight(6).longValue();
      }
      Instant i = s.endsWith("Z") ? Instant.parse(s) : OffsetDateTime.parse(s).toInstant();
      if (i.getEpochSecond() > MAX_SECONDS || i.getEpochSecond() < -62_135_596_800L) throw new NumberFormatException("out of range");
      return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException("time: expected " + EXPECTED + ", got \"" + text + "\"");
    }
  }
}
