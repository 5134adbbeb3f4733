package io.flowsentry.cluster.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.zeek.dns.DnsAnswers;

/**
 * Whatever bytes a record of {@code <prefix>.dns.v1} holds, decoding ends in an answer or a
 * {@link MalformedRecordException}, and an answer decoded once encodes and decodes to itself.
 */
class DnsCodecFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void decodesOrRejects(byte[] value) {
    DnsAnswers a;
    try {
      a = DnsCodec.decode(value);
    } catch (MalformedRecordException expected) {
      return;
    }
    DnsAnswers again;
    try {
      again = DnsCodec.decode(DnsCodec.encode(a));
    } catch (MalformedRecordException bug) {
      throw new AssertionError("an answer decoded from the wire does not decode again: " + a, bug);
    }
    if (!again.equals(a)) throw new AssertionError(a + " became " + again);
  }
}
