package io.flowsentry.collector.zeek.replay;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/** Any first bytes of a file and any name give a kind: never an exception. */
class ZeekLogKindFuzzTest {
  @FuzzTest(maxDuration = "10s")
  void anyHeadAndNameGiveAKind(FuzzedDataProvider data) {
    String name = data.consumeString(40);
    assertNotNull(ZeekLogKind.of(data.consumeRemainingAsString(), name));
  }
}
