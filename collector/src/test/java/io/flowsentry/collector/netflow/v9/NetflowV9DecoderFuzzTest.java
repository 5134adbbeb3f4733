package io.flowsentry.collector.netflow.v9;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.netflow.template.CaptureSeeds;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.flowsentry.collector.netflow.template.FuzzSupport;
import io.flowsentry.collector.testing.SharedTestData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetflowV9DecoderFuzzTest {

  private static final byte[] TEMPLATE = ExportWriter.v9(1000, 1_700_000_000L, 1, 0)
      .template(256, List.of(Field.of(8, 4), Field.of(12, 4), Field.of(1, 4), Field.of(22, 4))).build();
  private static final FuzzSupport.DecoderFactory DECODER = (store, limits, keepRaw) -> new NetflowV9Decoder(store, limits, keepRaw)::decode;

  /** Arbitrary packets, possibly after a valid template: header / record / error callbacks only, never an exception. */
  @FuzzTest(maxDuration = "20s")
  void arbitraryPackets(byte[] input) {
    FuzzSupport.fuzz(input, NetflowV9Decoder.VERSION, TEMPLATE, DECODER);
  }

  /** The seeds bin/fuzz starts from: every v9 datagram of the real captures; data after its template capture decodes to records. */
  @Test
  void realCapturesMeetTheirTemplates() throws Exception {
    List<CaptureSeeds.Seed> seeds = CaptureSeeds.of(SharedTestData.path("testdata/netflow"), NetflowV9Decoder.VERSION);
    assertFalse(seeds.isEmpty(), "no v9 captures");
    Map<String, Long> records = new HashMap<>();
    for (CaptureSeeds.Seed s : seeds) {
      records.put(s.name(), FuzzSupport.fuzz(s.input(), NetflowV9Decoder.VERSION, TEMPLATE, DECODER));
      if (s.expectsFlowRecords()) assertTrue(records.get(s.name()) > 0, s.name() + ": no record met its template");
    }
    // akvorado's TestDecode: template.pcap then data.pcap carry 4 data records
    assertEquals(4, records.get("akvorado_pcap_data.pcap"));
  }
}
