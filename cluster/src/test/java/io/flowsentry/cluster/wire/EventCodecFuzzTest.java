package io.flowsentry.cluster.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;

/**
 * Whatever bytes a record of {@code <prefix>.flows.v1} holds, decoding ends in an event or a
 * {@link MalformedRecordException}, and an event decoded once encodes and decodes to itself.
 */
class EventCodecFuzzTest {
  private static final EventCodec CODEC = new EventCodec(CommunityId.DEFAULT_SEED);

  @FuzzTest(maxDuration = "30s")
  void decodesOrRejects(byte[] value) {
    ConnectionEvent e;
    try {
      e = EventCodec.decode(value);
    } catch (MalformedRecordException expected) {
      return;
    }
    ConnectionEvent again;
    try {
      again = EventCodec.decode(CODEC.encode(e));
    } catch (MalformedRecordException bug) {
      throw new AssertionError("an event decoded from the wire does not decode again: " + e, bug);
    }
    if (!again.equals(e)) throw new AssertionError(e + " became " + again);
  }
}
