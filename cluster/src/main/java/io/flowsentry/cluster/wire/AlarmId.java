package io.flowsentry.cluster.wire;

import io.flowsentry.analyzer.suppress.SuppressionKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The stable id of an alarm: the first 128 bits of SHA-256 over (policy, suppression key, start
 * of its suppression window in event time). The same decision made again (a task re-run after a
 * failover) gets the same id; the next alarm of the same key has a later window and another id.
 */
public final class AlarmId {
  private AlarmId() {}

  public static String of(String policy, SuppressionKey key, long windowStartMicros) {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JVM has SHA-256", e);
    }
    sha.update(policy.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(key.origH().toBytes());
    sha.update(key.respH().toBytes());
    sha.update(ByteBuffer.allocate(16).putInt(key.respP()).putInt(key.proto()).putLong(windowStartMicros).array());
    byte[] digest = sha.digest();
    return HexFormat.of().formatHex(digest, 0, 16);
  }

  /** A summary's id: policy and the end of the minutes it covers. */
  public static String ofSummary(String policy, long endMicros, int partition) {
    return "summary-" + policy + "-" + partition + "-" + endMicros;
  }
}
