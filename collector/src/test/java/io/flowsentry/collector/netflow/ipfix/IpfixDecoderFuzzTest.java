package io.flowsentry.collector.netflow.ipfix;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.FuzzSupport;
import java.util.List;

class IpfixDecoderFuzzTest {

  private static final byte[] TEMPLATE = ExportWriter.ipfix(1_700_000_000L, 1, 0)
      .template(256, List.of(Field.of(8, 4), Field.of(82, 0xFFFF), new Field(29305, 1, 8), Field.of(154, 8))).build();

  /** Arbitrary messages, possibly after a valid template: header / record / error callbacks only, never an exception. */
  @FuzzTest(maxDuration = "20s")
  void arbitraryMessages(FuzzedDataProvider data) {
    FuzzSupport.fuzz(data, IpfixDecoder.VERSION, TEMPLATE,
        (store, limits, keepRaw) -> new IpfixDecoder(store, limits, keepRaw)::decode);
  }
}
