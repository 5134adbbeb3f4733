package io.flowsentry.collector.pcap;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

class PcapReaderFuzzTest {

  /** Any bytes: datagrams or an IOException naming the problem, nothing else. */
  @FuzzTest(maxDuration = "15s")
  void arbitraryBytes(byte[] data) {
    try {
      PcapReader.read(new ByteArrayInputStream(data), "fuzz", d -> {
        if (d.payload() == null || d.sender() == null) throw new AssertionError("incomplete datagram");
      });
    } catch (IOException expected) {
      // documented outcome for input that is not a capture
    }
  }
}
