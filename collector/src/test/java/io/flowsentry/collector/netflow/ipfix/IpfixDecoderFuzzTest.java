package io.flowsentry.collector.netflow.ipfix;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.netflow.template.CaptureSeeds;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.FuzzSupport;
import io.flowsentry.collector.testing.SharedTestData;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpfixDecoderFuzzTest {

  private static final byte[] TEMPLATE = ExportWriter.ipfix(1_700_000_000L, 1, 0)
      .template(256, List.of(Field.of(8, 4), Field.of(82, 0xFFFF), new Field(29305, 1, 8), Field.of(154, 8))).build();
  private static final FuzzSupport.DecoderFactory DECODER = (store, limits, keepRaw) -> new IpfixDecoder(store, limits, keepRaw)::decode;

  /** Arbitrary messages, possibly after a valid template: header / record / error callbacks only, never an exception. */
  @FuzzTest(maxDuration = "20s")
  void arbitraryMessages(byte[] input) {
    FuzzSupport.fuzz(input, IpfixDecoder.VERSION, TEMPLATE, DECODER);
  }

  /** The seeds bin/fuzz starts from: every IPFIX message of the real captures; data after its template capture decodes to records. */
  @Test
  void realCapturesMeetTheirTemplates() throws Exception {
    List<CaptureSeeds.Seed> seeds = CaptureSeeds.of(SharedTestData.path("testdata/netflow"), IpfixDecoder.VERSION);
    assertFalse(seeds.isEmpty(), "no IPFIX captures");
    for (CaptureSeeds.Seed s : seeds) {
      long records = FuzzSupport.fuzz(s.input(), IpfixDecoder.VERSION, TEMPLATE, DECODER);
      if (s.expectsFlowRecords()) assertTrue(records > 0, s.name() + ": no record met its template");
    }
  }
}
