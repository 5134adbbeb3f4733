package io.flowsentry.app.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.app.service.NetflowPipeline;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.loadgen.ExportVersion;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.udp.UdpInputConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ReceivePathWarmUpTest {
  /** The daemon's analyzer as the warm-up sees it: counts what it is asked and handed. */
  private static final class Analyzer implements EventHandler {
    final AtomicLong asked = new AtomicLong();
    final AtomicLong events = new AtomicLong();

    @Override
    public void onEvent(ConnectionEvent event) {
      events.incrementAndGet();
    }

    @Override
    public boolean wants(IpAddr a, IpAddr b) {
      asked.incrementAndGet();
      return false;
    }
  }

  private static UdpInputConfig input(String warmUp) {
    return new UdpInputConfig(List.of("127.0.0.1:0"), List.of(), null, null, null, null, warmUp);
  }

  @Test
  void everyVersionGoesThroughTheRealPipelineAndNothingReachesTheAnalyzerOrTheDaemonsMetrics() throws Exception {
    Analyzer analyzer = new Analyzer();
    MeterRegistry daemons = new SimpleMeterRegistry();
    UdpInputConfig input = input("60s"); // a bound that only a hang would reach: the count ends it
    AtomicLong records = new AtomicLong();
    ReceivePathWarmUp.Result r = ReceivePathWarmUp.run(input, analyzer, (events, registry) -> {
      assertNotSame(daemons, registry);
      EventHandler counting = new EventHandler() {
        @Override
        public void onEvent(ConnectionEvent e) {
          records.incrementAndGet();
          events.onEvent(e);
        }

        @Override
        public boolean wants(IpAddr a, IpAddr b) {
          return events.wants(a, b);
        }
      };
      return NetflowPipeline.collector(input, false, counting, registry, Clock.systemUTC()).collector();
    });
    // datagrams the kernel dropped are not handled; the warm-up waits for what it sent, so few are
    long versions = ExportVersion.values().length; // v5, v9, IPFIX and sFlow
    assertTrue(r.datagramsHandled() > (versions - 1) * ReceivePathWarmUp.DATAGRAMS_PER_VERSION, "handled " + r.datagramsHandled());
    assertTrue(r.datagramsHandled() <= versions * ReceivePathWarmUp.DATAGRAMS_PER_VERSION, "handled " + r.datagramsHandled());
    assertTrue(records.get() > 0, "events were built");
    assertTrue(analyzer.asked.get() > 0, "the analyzer's filter was asked (so its call is compiled too)");
    assertEquals(0, analyzer.events.get(), "no event reached the analyzer");
    assertTrue(daemons.getMeters().isEmpty());
  }

  @Test
  void zeroMeansNoWarmUp() throws Exception {
    Analyzer analyzer = new Analyzer();
    ReceivePathWarmUp.Result r = ReceivePathWarmUp.run(input("0s"), analyzer, (events, registry) -> {
      throw new AssertionError("no pipeline is built without a warm-up");
    });
    assertEquals(0, r.datagramsHandled());
    assertEquals(0, analyzer.asked.get());
  }

  @Test
  void theWarmUpMeetsTheDaemonsKindOfAllowlistAndMayAlwaysSend() {
    assertEquals(List.of(), ReceivePathWarmUp.allowlist(input("1s")));
    UdpInputConfig restricted = new UdpInputConfig(List.of("127.0.0.1:0"), List.of("192.0.2.0/24"), null, null, null, null, "1s");
    assertEquals(List.of("192.0.2.0/24", "127.0.0.1/32"), ReceivePathWarmUp.allowlist(restricted));
  }
}
