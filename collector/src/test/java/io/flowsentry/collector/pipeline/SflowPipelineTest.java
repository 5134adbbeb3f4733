package io.flowsentry.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.NetflowLimits;
import io.flowsentry.collector.netflow.v5.V5Datagrams;
import io.flowsentry.collector.sflow.SflowWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** sFlow through the same pipeline as NetFlow: dispatch by header, events, metrics, originator, loss. */
class SflowPipelineTest {

  private static final InetSocketAddress SWITCH = new InetSocketAddress("192.0.2.40", 50000);
  private static final String RESTRICTED = "192.168.4.7";
  private static final String INTERNET = "203.0.113.9";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ConnectionEvent> events = new ArrayList<>();
  private final DatagramPipeline pipeline = CollectorWiring.real(events::add, registry, NetflowLimits.defaults());

  @Test
  void oneSocketTellsSflowFromNetflowByTheHeader() {
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 0, 1)
        .udpSample(1, 512, RESTRICTED, 40000, INTERNET, 53).buffer(), 1_700_000_000_000L);
    pipeline.onDatagram(SWITCH, Unpooled.wrappedBuffer(V5Datagrams.synthetic(2, 0)), 1_700_000_000_000L);
    assertEquals(1, count("flowsentry.packets.received", "protocol", "sflow"));
    assertEquals(1, count("flowsentry.packets.received", "protocol", "netflow5"));
    assertEquals(1, count("flowsentry.flow.records", "protocol", "sflow"));
    ConnectionEvent e = events.get(0);
    assertEquals(EventSource.SFLOW, e.source());
    assertEquals(IpAddr.parse(RESTRICTED), e.origH());
    assertEquals(512, e.origPkts(), "one sampled packet stands for 512");
    assertEquals(512 * 60, e.origIpBytes(), "its IP length times the sampling rate");
    assertEquals(512, e.samplingRate());
    assertEquals(1_700_000_000_000_000L, e.tsMicros(), "sFlow has no flow time: the receive time");
    assertEquals(3, events.size(), "1 sFlow + 2 NetFlow v5");
  }

  @Test
  void aSynWithoutAckNamesItsSenderTheOriginatorAndTheSynAckItsReceiver() {
    // the SYN+ACK from the web server arrives first, then the client's SYN of another connection
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 0, 1)
        .tcpSample(1, 100, INTERNET, 443, RESTRICTED, 51000, 0x12)
        .tcpSample(2, 100, RESTRICTED, 51001, INTERNET, 8443, 0x02)
        .tcpSample(3, 100, RESTRICTED, 51002, INTERNET, 22, 0x10).buffer(), 1_700_000_000_000L);
    ConnectionEvent synAck = events.get(0);
    assertEquals(IpAddr.parse(RESTRICTED), synAck.origH(), "SYN+ACK: its receiver initiated");
    assertEquals(DirectionConfidence.EXPORTER, synAck.directionConfidence());
    assertEquals(100, synAck.respPkts(), "the sampled reply's packets are the responder's");
    ConnectionEvent syn = events.get(1);
    assertEquals(IpAddr.parse(RESTRICTED), syn.origH());
    assertEquals(8443, syn.respP());
    assertEquals(DirectionConfidence.EXPORTER, syn.directionConfidence());
    assertEquals(DirectionConfidence.ASSUMED, events.get(2).directionConfidence(), "a plain ACK shows nothing");
  }

  @Test
  void sequenceGapsAreCountedPerAgentAndSubAgentAndSampleLossPerSource() {
    long t = 1_700_000_000_000L;
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 0, 1).udpSample(1, 10, RESTRICTED, 1, INTERNET, 53).buffer(), t);
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 1, 1).udpSample(1, 10, RESTRICTED, 1, INTERNET, 53).buffer(), t);
    // sub-agent 0 goes on in order, sub-agent 1 lost datagrams 2 and 3 (and samples 2..4 of its source)
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 0, 2).udpSample(2, 10, RESTRICTED, 1, INTERNET, 53).buffer(), t);
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 1, 4).udpSample(5, 10, RESTRICTED, 1, INTERNET, 53).buffer(), t);
    assertEquals(1, count("flowsentry.sequence.gaps", "exporter", "192.0.2.40"));
    assertEquals(3, count("flowsentry.sflow.samples.lost", "exporter", "192.0.2.40"));
    assertEquals(4, count("flowsentry.sflow.samples", "type", "flow"));
  }

  @Test
  void dropsTheAgentReportsAreCounted() {
    long t = 1_700_000_000_000L;
    byte[] header = SflowWriter.ethernetIpv4(17, RESTRICTED, 1, INTERNET, 53, 0, 60);
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 0, 1).flowSample(1, 10, 5, header).buffer(), t);
    pipeline.onDatagram(SWITCH, SflowWriter.datagram("10.0.0.1", 0, 2).flowSample(2, 10, 12, header).buffer(), t);
    assertEquals(7, count("flowsentry.sflow.samples.dropped", "exporter", "192.0.2.40"));
    assertEquals(0, count("flowsentry.sflow.samples.lost", "exporter", "192.0.2.40"));
  }

  @Test
  void sflowErrorReasonsExistFromStartUpAndOtherVersionsAreUnknown() {
    for (String reason : List.of("truncated_header", "bad_length", "bad_set_length", "truncated_record",
        "unknown_address_type", "internal_error")) {
      assertNotNull(registry.find("flowsentry.decode.errors").tags("protocol", "sflow", "reason", reason).counter(), reason);
    }
    assertEquals(null, registry.find("flowsentry.decode.errors").tags("protocol", "sflow", "reason", "invalid_template").counter());
    byte[] v4 = SflowWriter.datagram("10.0.0.1", 0, 1).bytes();
    v4[3] = 4; // sFlow version 4
    pipeline.onDatagram(SWITCH, Unpooled.wrappedBuffer(v4), 0);
    assertEquals(1, count("flowsentry.decode.errors", "reason", "unknown_version"));
    assertEquals(1, registry.find("flowsentry.decode.errors").tags("protocol", "unknown", "reason", "unknown_version").counter().count());
  }

  @Test
  void aLyingSampleLengthCostsOnlyWhatFollowsIt() {
    byte[] d = SflowWriter.datagram("10.0.0.1", 0, 1)
        .udpSample(1, 10, RESTRICTED, 1, INTERNET, 53)
        .udpSample(2, 10, RESTRICTED, 2, INTERNET, 53).bytes();
    int secondLength = d.length - (d.length - 28) / 2 + 4; // the second sample's length word
    d[secondLength] = 0x7F;
    pipeline.onDatagram(SWITCH, Unpooled.wrappedBuffer(d), 0);
    assertEquals(1, events.size(), "the first sample still decodes");
    assertEquals(1, count("flowsentry.decode.errors", "reason", "bad_set_length"));
    assertEquals(1, count("flowsentry.packets.received", "protocol", "sflow"));
  }

  private double count(String name, String... tags) {
    return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }
}
