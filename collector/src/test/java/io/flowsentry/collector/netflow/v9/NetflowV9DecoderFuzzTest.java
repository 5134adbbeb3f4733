package io.flowsentry.collector.netflow.v9;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.FuzzSupport;
import java.util.List;

class NetflowV9DecoderFuzzTest {

  private static final byte[] TEMPLATE = ExportWriter.v9(1000, 1_700_000_000L, 1, 0)
      .template(256, List.of(Field.of(8, 4), Field.of(12, 4), Field.of(1, 4), Field.of(22, 4))).build();

  /** Arbitrary packets, possibly after a valid template: header / record / error callbacks only, never an exception. */
  @FuzzTest(maxDuration = "20s")
  void arbitraryPackets(FuzzedDataProvider data) {
    FuzzSupport.fuzz(data, NetflowV9Decoder.VERSION, TEMPLATE,
        (store, limits, keepRaw) -> new NetflowV9Decoder(store, limits, keepRaw)::decode);
  }
}
