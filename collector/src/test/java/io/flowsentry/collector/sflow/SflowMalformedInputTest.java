package io.flowsentry.collector.sflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lying lengths and counts, table-driven: each gives its counted reason, and what the datagram
 * holds before (and, where its container's length allows, after) the lie still decodes.
 */
class SflowMalformedInputTest {

  private static final String A = "192.168.4.7", B = "203.0.113.9";

  /** Two good UDP samples: 28-byte header, then two samples of equal length. */
  private static byte[] twoSamples() {
    return SflowWriter.datagram("10.0.0.1", 0, 1).udpSample(1, 10, A, 1, B, 53).udpSample(2, 10, A, 2, B, 53).bytes();
  }

  private static int sampleLength() {
    return (twoSamples().length - 28) / 2;
  }

  static Stream<Arguments> cases() {
    int s = sampleLength();
    return Stream.of(
        Arguments.of("shorter than the smallest header", (Function<byte[], byte[]>) d -> Arrays.copyOf(d, 20),
            "truncated_header", 0),
        Arguments.of("agent address type 3", (Function<byte[], byte[]>) d -> set(d, 4, 3), "unknown_address_type", 0),
        Arguments.of("num_samples 5 of 2", (Function<byte[], byte[]>) d -> set(d, 24, 5), "bad_length", 2),
        Arguments.of("second sample longer than the datagram", (Function<byte[], byte[]>) d -> set(d, 28 + s + 4, 100_000),
            "bad_set_length", 1),
        Arguments.of("first sample's num_records 9 of 1", (Function<byte[], byte[]>) d -> set(d, 28 + 8 + 28, 9),
            "bad_length", 2),
        Arguments.of("first record longer than its sample", (Function<byte[], byte[]>) d -> set(d, 28 + 8 + 32 + 4, 5000),
            "bad_set_length", 1),
        Arguments.of("sampled header longer than its record", (Function<byte[], byte[]>) d -> set(d, 28 + 8 + 32 + 8 + 12, 900),
            "truncated_record", 2),
        // the declared length is all there is to go by: the next "sample" starts inside this one
        Arguments.of("first sample cut to 12 bytes", (Function<byte[], byte[]>) d -> set(d, 28 + 4, 12), "truncated_record", 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aLieIsCountedAndTheRestDecodes(String name, Function<byte[], byte[]> lie, String reason, int packets) {
    SflowCaptures.Recording r = SflowCaptures.decode(lie.apply(twoSamples()), false);
    assertTrue(!r.errors.isEmpty() && r.errors.getFirst().startsWith(reason + ":"), name + ": " + r.errors);
    assertEquals(packets, r.records.size(), name + ": sampled packets still decoded");
  }

  /** A sample cut short inside its declared length: the next sample starts where the length says. */
  @Test
  void aSampleTooShortForItsFormatIsSkippedByItsLength() {
    ByteBuf shortSample = Unpooled.buffer().writeInt(1).writeInt(2); // a flow sample of 8 bytes
    byte[] d = SflowWriter.datagram("10.0.0.1", 0, 1).sample(1, shortSample).udpSample(2, 10, A, 2, B, 53).bytes();
    SflowCaptures.Recording r = SflowCaptures.decode(d, false);
    assertEquals(1, r.errors.size(), r.errors.toString());
    assertTrue(r.errors.getFirst().startsWith("truncated_record:"), r.errors.toString());
    assertEquals(1, r.records.size());
  }

  /** Counter samples: the generic interface counters are read, others skipped by length and counted; no event. */
  @Test
  void counterSamplesAreDecodedAndBecomeNoPacket() {
    ByteBuf generic = Unpooled.buffer().writeInt(7).writeInt(6).writeLong(10_000_000_000L).writeInt(1).writeInt(3)
        .writeLong(123_456_789_012L).writeZero(24).writeLong(987L).writeZero(24);
    ByteBuf sample = Unpooled.buffer().writeInt(42).writeInt(7).writeInt(2);
    sample.writeInt(1).writeInt(generic.readableBytes()).writeBytes(generic);
    sample.writeInt(2).writeInt(52).writeZero(52); // Ethernet interface counters: not read here
    byte[] d = SflowWriter.datagram("10.0.0.1", 0, 1).sample(2, sample).udpSample(1, 10, A, 1, B, 53).bytes();
    SflowCaptures.Recording r = SflowCaptures.decode(d, false);
    assertEquals(List.of(), r.errors);
    assertEquals(1, r.counterSamples.size());
    CounterSample c = r.counterSamples.getFirst();
    assertEquals(42, c.sequence());
    assertEquals(7, c.sourceIdIndex());
    assertEquals(10_000_000_000L, c.genericInterface().get("ifSpeed"));
    assertEquals(123_456_789_012L, c.genericInterface().get("ifInOctets"));
    assertEquals(987L, c.genericInterface().get("ifOutOctets"));
    assertEquals(1, r.recordsSkipped, "the Ethernet counters record");
    assertEquals(1, r.records.size(), "only the flow sample is a packet");
  }

  /** An enterprise's own sample format is skipped by its length and counted. */
  @Test
  void unknownSampleFormatsAreSkipped() {
    byte[] d = SflowWriter.datagram("10.0.0.1", 0, 1).sample((4413 << 12) | 1, Unpooled.buffer().writeZero(20))
        .udpSample(1, 10, A, 1, B, 53).bytes();
    SflowCaptures.Recording r = SflowCaptures.decode(d, false);
    assertEquals(List.of(), r.errors);
    assertEquals(1, r.unknownSamples);
    assertEquals(1, r.records.size());
  }

  private static byte[] set(byte[] d, int at, int value) {
    byte[] copy = d.clone();
    Unpooled.wrappedBuffer(copy).setInt(at, value);
    return copy;
  }
}
