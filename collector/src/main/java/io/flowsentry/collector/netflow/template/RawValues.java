package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.ie.DataType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The {@code raw} rendering of one field value: integers as Long, timestamps as Long in the
 * unit of their type since the Unix epoch (the NTP-format micro/nanosecond ones converted),
 * floats as Double, booleans as Boolean, addresses as text, strings as text, everything else
 * (octet arrays, lists, values whose length does not fit their type) as lower-case hex.
 */
final class RawValues {

  private RawValues() {}

  static Object of(ByteBuf buf, int pos, int len, DataType type) {
    if (len == 8 && type == DataType.DATE_TIME_MICROSECONDS) return Numbers.ntpToMicros(buf.getLong(pos));
    if (len == 8 && type == DataType.DATE_TIME_NANOSECONDS) return Numbers.ntpToNanos(buf.getLong(pos));
    if (type.isInteger() && len >= 1 && len <= 8) {
      long v = Numbers.unsigned(buf, pos, len);
      return type.isSigned() ? (v << (64 - 8 * len)) >> (64 - 8 * len) : v;
    }
    return switch (type) {
      case FLOAT32 -> len == 4 ? (Object) (double) Float.intBitsToFloat(buf.getInt(pos)) : hex(buf, pos, len);
      case FLOAT64 -> len == 8 ? (Object) Double.longBitsToDouble(buf.getLong(pos)) : hex(buf, pos, len);
      case BOOLEAN -> len == 1 ? (Object) (buf.getUnsignedByte(pos) == 1) : hex(buf, pos, len);
      case IPV4_ADDRESS -> len == 4 ? IpAddr.ofV4(buf.getInt(pos)).toString() : hex(buf, pos, len);
      case IPV6_ADDRESS -> len == 16 ? IpAddr.ofV6(buf.getLong(pos), buf.getLong(pos + 8)).toString() : hex(buf, pos, len);
      case MAC_ADDRESS -> len == 6 ? mac(buf, pos) : hex(buf, pos, len);
      case STRING -> buf.toString(pos, len, StandardCharsets.UTF_8);
      default -> hex(buf, pos, len);
    };
  }

  private static String hex(ByteBuf buf, int pos, int len) {
    return ByteBufUtil.hexDump(buf, pos, len);
  }

  private static String mac(ByteBuf buf, int pos) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) sb.append(':');
      String h = Integer.toHexString(buf.getUnsignedByte(pos + i));
      if (h.length() == 1) sb.append('0');
      sb.append(h);
    }
    return sb.toString();
  }
}
