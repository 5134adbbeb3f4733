package io.flowsentry.collector.sflow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.event.IpAddr;
import org.junit.jupiter.api.Test;

/** Sample sequence gaps and agent drops per data source, across the 32-bit wrap and restarts. */
class SampleLossTest {

  private static final IpAddr AGENT = IpAddr.parse("10.0.0.1");

  private final SampleLoss loss = new SampleLoss();
  private long lost;
  private long dropped;
  private final SampleLoss.Sink sink = new SampleLoss.Sink() {
    @Override public void lost(long samples) { lost += samples; }
    @Override public void dropped(long samples) { dropped += samples; }
  };

  private void sample(int source, long sequence, long drops) {
    loss.observe(AGENT, 0, new FlowSample(false, sequence, 0, source, 100, sequence * 100, drops, 0, 1, 0, 2, 1), sink);
  }

  @Test
  void gapsAndDropsAreCountedAcrossTheWrap() {
    sample(1, 0xFFFF_FFFEL, 0xFFFF_FFFFL);
    sample(1, 0xFFFF_FFFFL, 0xFFFF_FFFFL);
    sample(1, 2, 3); // samples 0 and 1 lost; the drops counter wrapped from 2^32-1 to 3: 4 dropped
    assertEquals(2, lost);
    assertEquals(4, dropped);
  }

  @Test
  void sourcesAreApartAndLateSamplesOrRestartsCountNothing() {
    sample(1, 10, 0);
    sample(2, 500, 0);
    sample(1, 11, 0);
    sample(1, 9, 0);     // late: nothing, the expectation stays at 11
    sample(1, 12, 0);
    sample(2, 501, 0);
    assertEquals(0, lost);
    sample(3, 1000, 0);
    sample(3, 3, 0);     // far behind: a restart, tracking starts over from 3
    sample(3, 5, 0);     // so sample 4 is the one lost
    assertEquals(1, lost);
    assertEquals(0, dropped);
  }

  @Test
  void theNumberOfSourcesIsBounded() {
    for (int s = 0; s < SampleLoss.MAX_SOURCES + 10; s++) sample(s, 1, 0);
    assertEquals(SampleLoss.MAX_SOURCES, loss.size());
  }
}
