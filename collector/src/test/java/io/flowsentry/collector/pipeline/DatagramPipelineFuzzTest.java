package io.flowsentry.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.flowsentry.collector.netflow.NetflowLimits;
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

class DatagramPipelineFuzzTest {

  /**
   * A few datagrams from a few exporters: nothing escapes, every datagram is counted as a packet
   * of its exporter or as a decode error that kept it from earning one (unknown version, a
   * header that does not decode), and the records counter matches the events handed on.
   */
  @FuzzTest(maxDuration = "15s")
  void arbitraryDatagrams(FuzzedDataProvider data) throws UnknownHostException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ConnectionEvent> events = new ArrayList<>();
    // room for all three addresses: evicted exporters take their counters with them
    DatagramPipeline collector = CollectorWiring.real(events::add, registry,
        new NetflowLimits(3, 8, null, 16, 8, 4096, null, null, null, null, null));
    int datagrams = 0;
    while (data.remainingBytes() > 0 && datagrams < 8) {
      InetAddress from = InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) data.consumeInt(1, 3)});
      byte[] payload = data.consumeBytes(data.consumeInt(0, 1500));
      collector.onDatagram(new InetSocketAddress(from, 2055), Unpooled.wrappedBuffer(payload), 0);
      datagrams++;
    }
    double packets = sum(registry, "flowsentry.packets.received");
    double unknown = errors(registry, "protocol", "unknown");
    double badHeaders = errors(registry, "reason", "truncated_header")
        - errors(registry, "protocol", "unknown", "reason", "truncated_header") + errors(registry, "reason", "bad_length")
        // an sFlow header whose agent address type is neither IPv4 nor IPv6 ends the datagram unread
        + errors(registry, "protocol", "sflow", "reason", "unknown_address_type");
    assertTrue(packets <= datagrams - unknown, packets + " packets of " + datagrams + " datagrams, " + unknown + " unreadable");
    assertTrue(datagrams <= packets + unknown + badHeaders, datagrams + " datagrams, " + packets + " packets");
    assertEquals(events.size(), sum(registry, "flowsentry.flow.records"));
    assertEquals(0, registry.find("flowsentry.decode.errors").tags("reason", DatagramPipeline.INTERNAL_ERROR).counters().stream()
        .mapToDouble(Counter::count).sum());
    assertTrue(events.stream().allMatch(e -> e.origH() != null && e.respH() != null));
  }

  private static double errors(SimpleMeterRegistry registry, String... tags) {
    return registry.find("flowsentry.decode.errors").tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double sum(SimpleMeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }
}
