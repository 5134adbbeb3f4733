package io.flowsentry.collector.sflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SflowDecoderFuzzTest {

  private static final List<String> DOCUMENTED = List.of("truncated_header", "unknown_version", "bad_length",
      "bad_set_length", "truncated_record", "unknown_address_type");

  /**
   * Any bytes: at most one header, no more samples than the header declares, every record with
   * both addresses and a sampling rate, only the documented errors, never an exception.
   */
  @FuzzTest(maxDuration = "20s")
  void arbitraryDatagrams(byte[] data) {
    SflowCaptures.Recording r = SflowCaptures.decode(data, true);
    check(r, data.length);
  }

  /** The seeds bin/fuzz starts from (every real datagram) decode without error through the same target. */
  @Test
  void realCapturesAreSeeds() {
    List<Path> files = SflowCaptures.files();
    assertFalse(files.isEmpty(), "no sFlow captures");
    long records = 0;
    for (Path f : files) {
      for (byte[] d : SflowCaptures.datagrams(f)) {
        SflowCaptures.Recording r = SflowCaptures.decode(d, true);
        check(r, d.length);
        assertEquals(List.of(), r.errors, f.toString());
        records += r.records.size();
      }
    }
    assertTrue(records >= 15, "sampled packets in the captures: " + records);
  }

  private static void check(SflowCaptures.Recording r, int length) {
    assertTrue(r.headers.size() <= 1);
    long samples = r.flowSamples.size() + r.counterSamples.size() + r.discardSamples.size() + r.unknownSamples;
    if (r.headers.isEmpty()) {
      assertEquals(0, samples);
    } else {
      assertTrue(samples <= r.headers.getFirst().samples());
    }
    assertTrue(samples <= length / 8, "each sample takes 8 bytes at least");
    assertTrue(r.records.size() <= r.flowSamples.size(), "one sampled packet per flow sample at most");
    assertTrue(r.records.stream().allMatch(f -> f.sourceAddress() != null && f.destinationAddress() != null
        && f.packets() == 1 && f.raw() != null));
    for (String e : r.errors) {
      assertTrue(DOCUMENTED.contains(e.substring(0, e.indexOf(':'))), e);
    }
  }
}
