package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.Numbers;
import io.flowsentry.collector.netflow.ie.DataType;
import java.nio.charset.StandardCharsets;

/**
 * The {@code raw} rendering of one field value: integers as Long, timestamps as Long in the
 * unit of their type since the Unix epoch (the NTP-format micro/nanosecond ones converted),
 * floats as Double, booleans as Boolean, addresses as text, strings as text, everything else
 * (octet arrays, lists, values whose length does not fit their type) as lower-case hex.
 */
final class RawValues {

  private RawValues() {}

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  static Object of(byte[] a, int pos, int len, DataType type) {
    if (len == 8 && type == DataType.DATE_TIME_MICROSECONDS) return Numbers.ntpToMicros(Numbers.i64(a, pos));
    if (len == 8 && type == DataType.DATE_TIME_NANOSECONDS) return Numbers.ntpToNanos(Numbers.i64(a, pos));
    if (type.isInteger() && len >= 1 && len <= 8) {
      long v = Numbers.unsigned(a, pos, len);
      return type.isSigned() ? (v << (64 - 8 * len)) >> (64 - 8 * len) : v;
    }
    return switch (type) {
      case FLOAT32 -> len == 4 ? (Object) (double) Float.intBitsToFloat(Numbers.i32(a, pos)) : hex(a, pos, len, "");
      case FLOAT64 -> len == 8 ? (Object) Double.longBitsToDouble(Numbers.i64(a, pos)) : hex(a, pos, len, "");
      case BOOLEAN -> len == 1 ? (Object) (a[pos] == 1) : hex(a, pos, len, "");
      case IPV4_ADDRESS -> len == 4 ? IpAddr.ofV4(Numbers.i32(a, pos)).toString() : hex(a, pos, len, "");
      case IPV6_ADDRESS -> len == 16 ? IpAddr.ofV6(Numbers.i64(a, pos), Numbers.i64(a, pos + 8)).toString() : hex(a, pos, len, "");
      case MAC_ADDRESS -> hex(a, pos, len, len == 6 ? ":" : "");
      case STRING -> string(a, pos, len);
      default -> hex(a, pos, len, "");
    };
  }

  /** UTF-8 text without the NUL padding exporters put after names in fixed-length fields (Cisco: 32-byte samplerName). */
  private static String string(byte[] a, int pos, int len) {
    int end = pos + len;
    while (end > pos && a[end - 1] == 0) end--;
    return new String(a, pos, end - pos, StandardCharsets.UTF_8);
  }

  private static String hex(byte[] a, int pos, int len, String separator) {
    StringBuilder sb = new StringBuilder(len * (2 + separator.length()));
    for (int i = 0; i < len; i++) {
      if (i > 0) sb.append(separator);
      sb.append(HEX[(a[pos + i] >> 4) & 0xF]).append(HEX[a[pos + i] & 0xF]);
    }
    return sb.toString();
  }
}
