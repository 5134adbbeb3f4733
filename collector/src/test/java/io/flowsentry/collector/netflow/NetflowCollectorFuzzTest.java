package io.flowsentry.collector.netflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.flowsentry.collector.event.ConnectionEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

class NetflowCollectorFuzzTest {

  /**
   * A few datagrams from a few exporters: nothing escapes, every datagram is counted as a packet
   * or a decode error, and the records counter matches the events handed on.
   */
  @FuzzTest(maxDuration = "15s")
  void arbitraryDatagrams(FuzzedDataProvider data) throws UnknownHostException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ConnectionEvent> events = new ArrayList<>();
    NetflowCollector collector = CollectorWiring.real(events::add, registry,
        new NetflowLimits(2, 8, null, 16, 8, 4096, null, null, null, null, null));
    int datagrams = 0;
    while (data.remainingBytes() > 0 && datagrams < 8) {
      InetAddress from = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) data.consumeInt(1, 3)});
      byte[] payload = data.consumeBytes(data.consumeInt(0, 1500));
      collector.onDatagram(new InetSocketAddress(from, 2055), Unpooled.wrappedBuffer(payload), 0);
      datagrams++;
    }
    double packets = sum(registry, "flowsentry.packets.received");
    double rejected = registry.find("flowsentry.decode.errors").tags("protocol", "unknown").counters().stream()
        .mapToDouble(Counter::count).sum()
        + registry.find("flowsentry.decode.errors").tags("reason", "too_many_exporters").counters().stream()
        .mapToDouble(Counter::count).sum();
    assertEquals(datagrams, packets + rejected);
    assertEquals(events.size(), sum(registry, "flowsentry.flow.records"));
    assertEquals(0, registry.find("flowsentry.decode.errors").tags("reason", NetflowCollector.INTERNAL_ERROR).counters().size());
    assertTrue(events.stream().allMatch(e -> e.origH() != null && e.respH() != null));
  }

  private static double sum(SimpleMeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
