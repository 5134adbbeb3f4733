package io.flowsentry.cluster.analyze;

import io.flowsentry.analyzer.suppress.SuppressionKey;
import io.flowsentry.collector.event.IpAddr;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the analyzer's state store: {@code (policy, orig_h, resp_h, resp_p, proto)} as
 * {@code [policy length u16][policy UTF-8][4|16 orig][4|16 resp][resp_p u16][proto u8]} (the
 * address lengths follow from one family flag byte), and one key of a single byte for the
 * partition's event clock, which no suppression key can equal.
 */
final class SuppressionStoreKey {
  /** The partition's event clock. */
  static final Bytes CLOCK = Bytes.wrap(new byte[] {0});

  private SuppressionStoreKey() {}

  static Bytes of(String policy, SuppressionKey k) {
    byte[] name = policy.getBytes(StandardCharsets.UTF_8);
    byte[] o = k.origH().toBytes();
    byte[] r = k.respH().toBytes();
    ByteBuffer b = ByteBuffer.allocate(2 + name.length + 1 + o.length + r.length + 3);
    b.putShort((short) name.length).put(name).put((byte) (o.length == 16 ? 6 : 4)).put(o).put(r)
        .putShort((short) k.respP()).put((byte) k.proto());
    return Bytes.wrap(b.array());
  }

  /** The policy a key belongs to, or null for the clock key. */
  static String policy(Bytes key) {
    byte[] b = key.get();
    if (b.length < 2) return null;
    int n = ((b[0] & 0xFF) << 8) | (b[1] & 0xFF);
    return new String(b, 2, Math.min(n, b.length - 2), StandardCharsets.UTF_8);
  }

  /** Back to the suppression key (for tests and diagnostics). */
  static SuppressionKey key(Bytes key) {
    ByteBuffer b = ByteBuffer.wrap(key.get());
    int n = b.getShort() & 0xFFFF;
    b.position(2 + n);
    int len = b.get() == 6 ? 16 : 4;
    byte[] o = new byte[len];
    byte[] r = new byte[len];
    b.get(o).get(r);
    return new SuppressionKey(IpAddr.of(o), IpAddr.of(r), b.getShort() & 0xFFFF, b.get() & 0xFF);
  }
}
