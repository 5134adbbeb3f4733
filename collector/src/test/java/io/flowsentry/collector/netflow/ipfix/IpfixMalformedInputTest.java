package io.flowsentry.collector.netflow.ipfix;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;
import static io.flowsentry.collector.netflow.template.ExportWriter.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.RecordingListener;
import io.flowsentry.collector.netflow.template.TemplateDecoders;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input costs only itself: the good records in the same message still come out. */
class IpfixMalformedInputTest {

  private static final List<Field> FIELDS = List.of(Field.of(8, 4), Field.of(12, 4), Field.of(1, 4));
  private static final List<List<Object>> TWO = List.of(List.of(1L, 2L, 100L), List.of(3L, 4L, 200L));

  /** A message with template 256 and two good records, then {@code bad}, then (when it can be found) one more record. */
  private static byte[] around(UnaryOperator<ExportWriter> bad) {
    ExportWriter w = ExportWriter.ipfix(1_700_000_000L, 1, 1).template(256, FIELDS).data(256, FIELDS, TWO);
    return bad.apply(w).data(256, FIELDS, List.of(List.of(5L, 6L, 300L))).build();
  }

  static Stream<Arguments> cases() {
    byte[] good = around(UnaryOperator.identity());
    byte[] longerThanDatagram = good.clone();
    longerThanDatagram[2] = (byte) 0xFF; // header length 0xFFxx
    byte[] wrongVersion = good.clone();
    wrongVersion[1] = 9;
    byte[] shorterThanHeader = good.clone();
    shorterThanHeader[2] = 0;
    shorterThanHeader[3] = 8;
    return Stream.of(
        Arguments.of("truncated header", Arrays.copyOf(good, 10), List.of(DecodeError.TRUNCATED_HEADER), 0),
        Arguments.of("unknown version", wrongVersion, List.of(DecodeError.UNKNOWN_VERSION), 0),
        Arguments.of("message length below header size", shorterThanHeader, List.of(DecodeError.BAD_LENGTH), 0),
        Arguments.of("message length past the datagram", longerThanDatagram, List.of(DecodeError.BAD_LENGTH), 3),
        // a cut datagram disagrees with its header and leaves its last set short: both are reported
        Arguments.of("cut inside the last set", Arrays.copyOf(good, good.length - 3),
            List.of(DecodeError.BAD_LENGTH, DecodeError.BAD_SET_LENGTH), 2),
        Arguments.of("set length below 4", around(w -> w.rawSet(256, 2, new byte[0])), List.of(DecodeError.BAD_SET_LENGTH), 2),
        Arguments.of("set length past the end", around(w -> w.rawSet(256, 4000, new byte[8])), List.of(DecodeError.BAD_SET_LENGTH), 2),
        Arguments.of("reserved set id", around(w -> w.rawSet(5, 8, new byte[4])), List.of(DecodeError.RESERVED_SET_ID), 3),
        Arguments.of("template id below 256", around(w -> w.rawSet(2, 12, bytes(0, 100, 0, 1, 0, 8, 0, 4))),
            List.of(DecodeError.INVALID_TEMPLATE), 3),
        Arguments.of("zero-length record template", around(w -> w.rawSet(2, 12, bytes(1, 44, 0, 1, 0, 8, 0, 0))),
            List.of(DecodeError.INVALID_TEMPLATE), 3),
        Arguments.of("options template without scope", around(w -> w.rawSet(3, 14, bytes(1, 45, 0, 1, 0, 0, 0, 8, 0, 4))),
            List.of(DecodeError.INVALID_TEMPLATE), 3),
        Arguments.of("options scope count above field count", around(w -> w.rawSet(3, 14, bytes(1, 45, 0, 1, 0, 2, 0, 8, 0, 4))),
            List.of(DecodeError.INVALID_TEMPLATE), 3),
        Arguments.of("huge field count", around(w -> w.rawSet(2, 12, bytes(1, 46, 0xEA, 0x60, 0, 8, 0, 4))),
            List.of(DecodeError.TOO_MANY_FIELDS), 3),
        Arguments.of("field specifiers past the set end", around(w -> w.rawSet(2, 12, bytes(1, 47, 0, 9, 0, 8, 0, 4))),
            List.of(DecodeError.BAD_SET_LENGTH), 3),
        Arguments.of("enterprise number past the set end", around(w -> w.rawSet(2, 12, bytes(1, 47, 0, 1, 0x80, 8, 0, 4))),
            List.of(DecodeError.BAD_SET_LENGTH), 3),
        Arguments.of("withdrawal of a reserved id", around(w -> w.rawSet(2, 8, bytes(0, 7, 0, 0))),
            List.of(DecodeError.INVALID_TEMPLATE), 3),
        Arguments.of("truncated variable-length field", truncatedVariableLength(), List.of(DecodeError.TRUNCATED_RECORD), 1));
  }

  /** Template 300: address + variable-length name; second record's name claims 200 bytes. */
  private static byte[] truncatedVariableLength() {
    List<Field> f = List.of(Field.of(8, 4), Field.of(82, 0xFFFF));
    return ExportWriter.ipfix(1_700_000_000L, 1, 1).template(300, f)
        .data(300, f, List.of(List.of(1L, "eth0")))
        .rawBytes(new byte[0])
        .build();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badPartIsReportedAndGoodRecordsSurvive(String name, byte[] message, List<DecodeError> expected, int goodRecords) {
    byte[] input = name.equals("truncated variable-length field") ? withTruncatedName(message) : message;
    TemplateDecoders d = new TemplateDecoders();
    RecordingListener out = new RecordingListener();
    d.ipfix.decode(Unpooled.wrappedBuffer(input), TemplateDecoders.EXPORTER, 1_700_000_000_000L, out);
    assertEquals(expected, out.reasons(), name + ": " + out.errors);
    assertEquals(goodRecords, out.records.size(), name);
  }

  /** Appends to the data set a record whose variable-length field runs past the set end. */
  private static byte[] withTruncatedName(byte[] message) {
    byte[] tail = bytes(0, 0, 0, 9, 200, 'e', 't', 'h');
    byte[] out = Arrays.copyOf(message, message.length + tail.length);
    System.arraycopy(tail, 0, out, message.length, tail.length);
    int dataSet = message.length - (4 + 4 + 1 + 4); // the one data set: header + address + length byte + "eth0"
    int setLength = ((out[dataSet + 2] & 0xFF) << 8 | (out[dataSet + 3] & 0xFF)) + tail.length;
    out[dataSet + 2] = (byte) (setLength >> 8);
    out[dataSet + 3] = (byte) setLength;
    out[2] = (byte) (out.length >> 8);
    out[3] = (byte) out.length;
    return out;
  }
}
