package io.flowsentry.collector.netflow;

import static io.flowsentry.collector.netflow.template.ExportWriter.Field;
import io.flowsentry.collector.pipeline.DatagramPipeline;
import io.flowsentry.collector.pipeline.CollectorWiring;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.netflow.template.ExportWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Enterprise-specific elements nobody decodes are skipped by length and counted per exporter. */
class EnterpriseElementsMetricTest {

  @Test
  void skippedEnterpriseElementsAreCountedAndTheRecordsStillDecode() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ConnectionEvent> events = new ArrayList<>();
    DatagramPipeline collector = CollectorWiring.real(events::add, registry, NetflowLimits.defaults());
    List<Field> fields = List.of(Field.of(8, 4), new Field(9, 77, 2), new Field(6876, 1, 0xFFFF), Field.of(12, 4));
    byte[] message = ExportWriter.ipfix(1_700_000_000L, 0, 1).template(300, fields).data(300, fields, List.of(
        List.of(0x0A000001L, new byte[] {1, 2}, new byte[] {3}, 0xCB007109L),
        List.of(0x0A000002L, new byte[] {4, 5}, new byte[0], 0xCB00710AL),
        List.of(0x0A000003L, new byte[] {6, 7}, new byte[] {8, 9}, 0xCB00710BL))).build();
    collector.onDatagram(new InetSocketAddress("192.0.2.1", 4739), Unpooled.wrappedBuffer(message), 1_700_000_000_000L);
    assertEquals(3, events.size());
    assertEquals("203.0.113.11", events.get(2).respH().toString());
    assertEquals(6.0, registry.get("flowsentry.enterprise.elements.skipped").tag("exporter", "192.0.2.1").counter().count());
  }
}
