package io.flowsentry.collector.netflow;

import static io.flowsentry.collector.netflow.SequenceTracker.Outcome.FIRST;
import static io.flowsentry.collector.netflow.SequenceTracker.Outcome.GAP;
import static io.flowsentry.collector.netflow.SequenceTracker.Outcome.IN_ORDER;
import static io.flowsentry.collector.netflow.SequenceTracker.Outcome.REORDERED;
import static io.flowsentry.collector.netflow.SequenceTracker.Outcome.RESTART;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SequenceTrackerTest {

  private final SequenceTracker t = new SequenceTracker();

  @Test
  void v5CountsFlows() {
    assertEquals(FIRST, t.observe(1000, 30, 5000));
    assertEquals(IN_ORDER, t.observe(1030, 30, 5100));
    assertEquals(IN_ORDER, t.observe(1060, 12, 5200));
    assertEquals(GAP, t.observe(1102, 30, 5300)); // 30 flows (one datagram) lost
    assertEquals(30, t.lastMissing());
    assertEquals(IN_ORDER, t.observe(1132, 30, 5400));
  }

  @Test
  void v9CountsPackets() {
    assertEquals(FIRST, t.observe(7, 1, 1));
    assertEquals(IN_ORDER, t.observe(8, 1, 2));
    assertEquals(GAP, t.observe(11, 1, 3));
    assertEquals(2, t.lastMissing());
  }

  /** IPFIX data held for a missing template has no known record count: resync, no false gap. */
  @Test
  void anUnknownRecordCountResyncsWithoutAGap() {
    assertEquals(FIRST, t.observe(0, 25, -1));
    assertEquals(FIRST, t.observe(25, -1, -1));
    assertEquals(FIRST, t.observe(75, 25, -1));
    assertEquals(IN_ORDER, t.observe(100, 25, -1));
  }

  @Test
  void wrapsAt32Bits() {
    assertEquals(FIRST, t.observe(0xFFFF_FFF0L, 16, -1));
    assertEquals(IN_ORDER, t.observe(0, 16, -1));
    assertEquals(IN_ORDER, t.observe(16, 16, -1));
    assertEquals(FIRST, new SequenceTracker().observe(0xFFFF_FFFFL, 1, -1));
  }

  @Test
  void gapAcrossTheWrapIsOneGap() {
    t.observe(0xFFFF_FFFEL, 1, -1);
    assertEquals(GAP, t.observe(2, 1, -1));
    assertEquals(3, t.lastMissing());
  }

  @Test
  void aLateMessageIsNotAGapAndDoesNotMoveTheExpectationBack() {
    t.observe(100, 10, -1);
    assertEquals(GAP, t.observe(120, 10, -1)); // 110 is late
    assertEquals(REORDERED, t.observe(110, 10, -1));
    assertEquals(IN_ORDER, t.observe(130, 10, -1));
  }

  @Test
  void aBigStepBackIsARestartNotAGap() {
    t.observe(1_000_000, 10, -1);
    assertEquals(RESTART, t.observe(0, 10, -1));
    assertEquals(IN_ORDER, t.observe(10, 10, -1));
  }

  @Test
  void sysUptimeGoingBackIsARestartEvenWhenTheSequenceLooksClose() {
    t.observe(50, 1, 10_000_000);
    assertEquals(RESTART, t.observe(0, 1, 20_000));
    assertEquals(IN_ORDER, t.observe(1, 1, 21_000));
  }

  @Test
  void sysUptimeWrapIsNotARestart() {
    t.observe(50, 1, 0xFFFF_FF00L);
    assertEquals(IN_ORDER, t.observe(51, 1, 0x100));
  }
}
