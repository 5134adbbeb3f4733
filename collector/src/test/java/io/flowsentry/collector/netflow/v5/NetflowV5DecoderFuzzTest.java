package io.flowsentry.collector.netflow.v5;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.EnumSet;

class NetflowV5DecoderFuzzTest {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 2055);
  private static final EnumSet<DecodeError> DOCUMENTED =
      EnumSet.of(DecodeError.TRUNCATED_HEADER, DecodeError.UNKNOWN_VERSION, DecodeError.BAD_LENGTH);
  private final NetflowV5Decoder decoder = new NetflowV5Decoder(true);

  /** Any bytes: at most one header, only the records that fit, only the documented errors, no exception. */
  @FuzzTest(maxDuration = "15s")
  void arbitraryBytes(byte[] data) {
    RecordingListener l = new RecordingListener();
    decoder.decode(Unpooled.wrappedBuffer(data), EXPORTER, 0, l);
    assertTrue(l.headers.size() <= 1);
    int fit = Math.max(0, (data.length - NetflowV5Decoder.HEADER_LENGTH) / NetflowV5Decoder.RECORD_LENGTH);
    assertTrue(l.records.size() <= fit);
    if (!l.headers.isEmpty()) assertTrue(l.records.size() <= l.headers.getFirst().count());
    assertTrue(DOCUMENTED.containsAll(l.reasons()), l.errors::toString);
    assertTrue(l.records.stream().allMatch(r -> r.raw() != null && r.sourceAddress() != null));
  }
}
