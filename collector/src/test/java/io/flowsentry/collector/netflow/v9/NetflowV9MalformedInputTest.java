package io.flowsentry.collector.netflow.v9;

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

/** Bad input costs only itself: the good records in the same packet still come out. */
class NetflowV9MalformedInputTest {

  private static final List<Field> FIELDS = List.of(Field.of(8, 4), Field.of(12, 4), Field.of(1, 4));
  private static final List<List<Object>> TWO = List.of(List.of(1L, 2L, 100L), List.of(3L, 4L, 200L));

  /** Template 256 and two good records, then {@code bad}, then (when it can be found) one more record. */
  private static byte[] around(UnaryOperator<ExportWriter> bad) {
    ExportWriter w = ExportWriter.v9(1000, 1_700_000_000L, 1, 1).template(256, FIELDS).data(256, FIELDS, TWO);
    return bad.apply(w).data(256, FIELDS, List.of(List.of(5L, 6L, 300L))).build();
  }

  static Stream<Arguments> cases() {
    byte[] good = around(UnaryOperator.identity());
    byte[] wrongVersion = good.clone();
    wrongVersion[1] = 8;
    return Stream.of(
        Arguments.of("truncated header", Arrays.copyOf(good, 19), DecodeError.TRUNCATED_HEADER, 0),
        Arguments.of("unknown version", wrongVersion, DecodeError.UNKNOWN_VERSION, 0),
        Arguments.of("cut inside the last flowset", Arrays.copyOf(good, good.length - 3), DecodeError.BAD_SET_LENGTH, 2),
        Arguments.of("flowset length below 4", around(w -> w.rawSet(256, 3, new byte[0])), DecodeError.BAD_SET_LENGTH, 2),
        Arguments.of("flowset length past the end", around(w -> w.rawSet(256, 9000, new byte[8])), DecodeError.BAD_SET_LENGTH, 2),
        Arguments.of("reserved flowset id", around(w -> w.rawSet(7, 8, new byte[4])), DecodeError.RESERVED_SET_ID, 3),
        Arguments.of("zero-field template", around(w -> w.rawSet(0, 8, bytes(1, 44, 0, 0))), DecodeError.INVALID_TEMPLATE, 3),
        Arguments.of("template id below 256", around(w -> w.rawSet(0, 12, bytes(0, 200, 0, 1, 0, 8, 0, 4))),
            DecodeError.INVALID_TEMPLATE, 3),
        Arguments.of("zero-length record template", around(w -> w.rawSet(0, 12, bytes(1, 44, 0, 1, 0, 8, 0, 0))),
            DecodeError.INVALID_TEMPLATE, 3),
        Arguments.of("huge field count", around(w -> w.rawSet(0, 12, bytes(1, 45, 0xFF, 0xFF, 0, 8, 0, 4))),
            DecodeError.TOO_MANY_FIELDS, 3),
        Arguments.of("field count past the flowset end", around(w -> w.rawSet(0, 12, bytes(1, 45, 0, 3, 0, 8, 0, 4))),
            DecodeError.BAD_SET_LENGTH, 3),
        Arguments.of("options scope length not a multiple of 4",
            around(w -> w.rawSet(1, 16, bytes(1, 46, 0, 3, 0, 4, 0, 1, 0, 4, 0, 0))), DecodeError.INVALID_TEMPLATE, 3),
        Arguments.of("options template without fields",
            around(w -> w.rawSet(1, 12, bytes(1, 46, 0, 0, 0, 0, 0, 0))), DecodeError.INVALID_TEMPLATE, 3),
        Arguments.of("record shorter than its template: padding", around(w -> w.rawSet(256, 8, new byte[4])), null, 3));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badPartIsReportedAndGoodRecordsSurvive(String name, byte[] message, DecodeError expected, int goodRecords) {
    TemplateDecoders d = new TemplateDecoders();
    RecordingListener out = new RecordingListener();
    d.v9.decode(Unpooled.wrappedBuffer(message), TemplateDecoders.EXPORTER, 1_700_000_000_000L, out);
    assertEquals(expected == null ? List.of() : List.of(expected), out.reasons(), name + ": " + out.errors);
    assertEquals(goodRecords, out.records.size(), name);
  }
}
