package io.flowsentry.collector.netflow.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.netflow.ie.DataType;
import org.junit.jupiter.api.Test;

class RawValuesTest {

  private static Object raw(DataType type, int... bytes) {
    byte[] a = new byte[bytes.length + 3];
    for (int i = 0; i < bytes.length; i++) a[i + 3] = (byte) bytes[i];
    return RawValues.of(a, 3, bytes.length, type);
  }

  @Test
  void everyTypeHasItsRendering() {
    assertEquals(258L, raw(DataType.UNSIGNED32, 0, 0, 1, 2));
    assertEquals(0x010203L, raw(DataType.UNSIGNED64, 1, 2, 3), "reduced size");
    assertEquals(-2L, raw(DataType.SIGNED16, 0xFF, 0xFE));
    assertEquals(-1L, raw(DataType.UNSIGNED64, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), "uint64 wraps into a Long");
    assertEquals(1.5, raw(DataType.FLOAT32, 0x3F, 0xC0, 0, 0));
    assertEquals(true, raw(DataType.BOOLEAN, 1));
    assertEquals(false, raw(DataType.BOOLEAN, 2));
    assertEquals("10.0.0.1", raw(DataType.IPV4_ADDRESS, 10, 0, 0, 1));
    assertEquals("00:1f:33:d9:81:60", raw(DataType.MAC_ADDRESS, 0x00, 0x1f, 0x33, 0xd9, 0x81, 0x60));
    assertEquals("eth0", raw(DataType.STRING, 'e', 't', 'h', '0'));
    assertEquals("eth0", raw(DataType.STRING, 'e', 't', 'h', '0', 0, 0, 0), "NUL padding after a name");
    assertEquals("", raw(DataType.STRING, 0, 0));
    assertEquals("00ff10", raw(DataType.OCTET_ARRAY, 0, 0xFF, 0x10));
    assertEquals("0a0000", raw(DataType.IPV4_ADDRESS, 10, 0, 0), "wrong length: hex");
    assertEquals(1_700_000_000_500_000L, raw(DataType.DATE_TIME_MICROSECONDS,
        0xE8, 0xFE, 0x6F, 0x80, 0x80, 0, 0, 0), "NTP time (1900 epoch, half a second) as epoch microseconds");
  }
}
