package io.flowsentry.collector.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.flowsentry.collector.netflow.Decoder;
import io.flowsentry.collector.netflow.FlowRecord;
import io.flowsentry.collector.netflow.MessageHeader;
import io.flowsentry.collector.netflow.NetflowLimits;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventHandler;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.v5.NetflowV5Decoder;
import io.flowsentry.collector.netflow.v5.V5Datagrams;
import io.flowsentry.collector.netflow.template.EvictionReason;
import io.flowsentry.collector.normalize.FlowNormalizer;
import io.flowsentry.collector.pcap.CapturedDatagram;
import io.flowsentry.collector.pcap.PcapReader;
import io.flowsentry.collector.sflow.SflowDecoder;
import io.flowsentry.collector.testing.SharedTestData;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DatagramPipelineTest {

  private static final InetSocketAddress EXPORTER = new InetSocketAddress("192.0.2.1", 40000);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<ConnectionEvent> events = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();

  /** A stand-in for the template-based decoders: reports one header and one record per datagram. */
  private Decoder fake(String name, int version) {
    return (message, exporter, received, listener) -> {
      calls.add(name);
      listener.header(new MessageHeader(version, 1, version == 9 ? 1000 : -1, 1_700_000_000_000L,
          message.getUnsignedInt(message.readerIndex() + 4), 7, 1));
      FlowRecord.Builder b = FlowRecord.builder();
      b.version = version;
      b.exporter = IpAddr.of(exporter.getAddress());
      b.observationDomain = 7;
      b.sourceAddress(IpAddr.parse("10.0.0.1"));
      b.destinationAddress(IpAddr.parse("10.0.0.2"));
      b.sourcePort = 40000;
      b.destinationPort = 80;
      b.protocol = 6;
      b.packets = 2;
      b.octets = 100;
      b.startMillis = 1_700_000_000_000L;
      listener.record(b.build());
    };
  }

  private DatagramPipeline collector(NetflowLimits limits) {
    return new DatagramPipeline(new NetflowV5Decoder(false), fake("v9", 9), fake("ipfix", 10), new SflowDecoder(false, false),
        FlowNormalizer.withDefaults(), events::add, limits, registry, CLOCK);
  }

  private DatagramPipeline collector() {
    return collector(NetflowLimits.defaults());
  }

  /** The count of one counter; fails when it does not exist, so a missing meter never reads as 0. */
  private double count(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  private double errors(String protocol, String reason) {
    return count("flowsentry.decode.errors", "protocol", protocol, "reason", reason);
  }

  private static void feed(DatagramPipeline c, InetSocketAddress from, byte[] datagram) {
    c.onDatagram(from, Unpooled.wrappedBuffer(datagram), 0);
  }

  /** A v9/IPFIX-looking datagram: version, then a sequence number at offset 4. */
  private static byte[] versioned(int version, long sequence) {
    return ByteBuffer.allocate(20).putShort((short) version).putShort((short) 20).putInt((int) sequence).array();
  }

  @Test
  void dispatchesByVersionAndCountsPerProtocolAndExporter() {
    DatagramPipeline c = collector();
    feed(c, EXPORTER, V5Datagrams.synthetic(3, 0));
    feed(c, EXPORTER, versioned(9, 1));
    feed(c, EXPORTER, versioned(10, 1));
    feed(c, EXPORTER, versioned(10, 2));

    assertEquals(List.of("v9", "ipfix", "ipfix"), calls);
    assertEquals(1, count("flowsentry.packets.received", "protocol", "netflow5", "exporter", "192.0.2.1"));
    assertEquals(3, count("flowsentry.flow.records", "protocol", "netflow5", "exporter", "192.0.2.1"));
    assertEquals(1, count("flowsentry.packets.received", "protocol", "netflow9", "exporter", "192.0.2.1"));
    assertEquals(2, count("flowsentry.packets.received", "protocol", "ipfix", "exporter", "192.0.2.1"));
    assertEquals(2, count("flowsentry.flow.records", "protocol", "ipfix", "exporter", "192.0.2.1"));
    assertEquals(List.of(EventSource.NETFLOW5, EventSource.NETFLOW5, EventSource.NETFLOW5,
        EventSource.NETFLOW9, EventSource.IPFIX, EventSource.IPFIX), events.stream().map(ConnectionEvent::source).toList());
    assertTrue(events.stream().allMatch(e -> e.exporter().equals("192.0.2.1")));
  }

  record Bad(String name, byte[] datagram, String protocol, String reason, double packets, int events) {}

  static Stream<Arguments> malformed() {
    byte[] two = V5Datagrams.synthetic(2, 0);
    byte[] lyingCount = two.clone();
    lyingCount[3] = 5;
    return Stream.of(
        new Bad("empty datagram", new byte[0], "unknown", "truncated_header", 0, 0),
        new Bad("one byte", new byte[] {5}, "unknown", "truncated_header", 0, 0),
        new Bad("unknown version 7", versioned(7, 0), "unknown", "unknown_version", 0, 0),
        new Bad("version 0", new byte[24], "unknown", "unknown_version", 0, 0),
        new Bad("truncated v5 header", Arrays.copyOf(two, 10), "netflow5", "truncated_header", 0, 0),
        new Bad("v5 count says 5, datagram holds 2", lyingCount, "netflow5", "bad_length", 1, 2))
        .map(c -> Arguments.argumentSet(c.name(), c));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void malformedDatagramsAreCountedByProtocolAndReason(Bad bad) {
    DatagramPipeline c = collector();
    feed(c, EXPORTER, bad.datagram());
    assertEquals(1, errors(bad.protocol(), bad.reason()));
    assertEquals(1, registry.find("flowsentry.decode.errors").counters().stream().mapToDouble(Counter::count).sum());
    assertEquals(bad.packets(), registry.find("flowsentry.packets.received").counters().stream().mapToDouble(Counter::count).sum());
    assertEquals(bad.events(), events.size());
    // records are counted once there are some: a bad datagram may leave no records meter at all
    assertEquals(bad.events(), registry.find("flowsentry.flow.records").counters().stream().mapToDouble(Counter::count).sum());
    // the next good datagram is unaffected
    feed(c, EXPORTER, V5Datagrams.synthetic(1, 1000));
    assertEquals(bad.events() + 1, events.size());
  }

  @Test
  void sequenceGapsAreCountedPerExporterAndReorderingIsNot() {
    DatagramPipeline c = collector();
    feed(c, EXPORTER, V5Datagrams.synthetic(30, 0));
    feed(c, EXPORTER, V5Datagrams.synthetic(30, 30));
    feed(c, EXPORTER, V5Datagrams.synthetic(30, 90)); // 60..89 lost
    feed(c, EXPORTER, V5Datagrams.synthetic(30, 60)); // ... or only late
    feed(c, EXPORTER, V5Datagrams.synthetic(30, 120));
    assertEquals(1, count("flowsentry.sequence.gaps", "exporter", "192.0.2.1"));

    feed(c, EXPORTER, versioned(9, 5));
    feed(c, EXPORTER, versioned(9, 6));
    feed(c, EXPORTER, versioned(9, 9)); // v9 counts packets: 7 and 8 lost
    assertEquals(2, count("flowsentry.sequence.gaps", "exporter", "192.0.2.1"));

    InetSocketAddress other = new InetSocketAddress("192.0.2.2", 40000);
    feed(c, other, V5Datagrams.synthetic(30, 5000)); // its own sequence space
    assertEquals(2, count("flowsentry.sequence.gaps", "exporter", "192.0.2.1"));
    assertEquals(0, count("flowsentry.sequence.gaps", "exporter", "192.0.2.2"));
  }

  private static void feed(DatagramPipeline c, String address, byte[] datagram, long receivedMillis) {
    c.onDatagram(new InetSocketAddress(address, 2055), Unpooled.wrappedBuffer(datagram), receivedMillis);
  }

  /** A v5 header that decodes and carries no records. */
  private static byte[] headerOnly() {
    return V5Datagrams.synthetic(0, 0);
  }

  @Test
  void aFullTableGivesTheLeastUsefulExportersPlaceToANewOne() {
    DatagramPipeline c = collector(new NetflowLimits(2, null, null, null, null, null, null, null, null, null, null));
    feed(c, "192.0.2.1", V5Datagrams.synthetic(1, 0), 1_000); // delivers records
    feed(c, "192.0.2.2", headerOnly(), 2_000); // heard more recently, but has delivered nothing
    feed(c, "192.0.2.3", V5Datagrams.synthetic(1, 0), 3_000);
    assertEquals(2, events.size(), "the newcomer is decoded");
    assertEquals(1, count("flowsentry.packets.received", "exporter", "192.0.2.1"), "the useful exporter stays");
    assertNull(registry.find("flowsentry.packets.received").tags("exporter", "192.0.2.2").counter(),
        "the one that delivered nothing is gone, its series with it");
    assertEquals(1, c.evictions(EvictionReason.TABLE_FULL));
    feed(c, "192.0.2.4", V5Datagrams.synthetic(1, 0), 4_000);
    assertNull(registry.find("flowsentry.packets.received").tags("exporter", "192.0.2.1").counter(),
        "then the one that delivered longest ago");
    assertEquals(2, c.exporterCount());
  }

  @Test
  void lockoutAttemptCannotKeepARealExporterOut() {
    DatagramPipeline c = collector(new NetflowLimits(200, null, null, null, null, null, null, null, null, null, null));
    for (int i = 0; i < 249; i++) {
      feed(c, "127.0.1." + i, new byte[] {0, 9}, i); // does not decode: earns nothing
      feed(c, "127.0.2." + i, headerOnly(), i); // decodes, delivers nothing
    }
    assertEquals(200, c.exporterCount());
    for (int i = 0; i < 10; i++) feed(c, "192.0.2.1", V5Datagrams.synthetic(30, 30 * i), 1_000 + i);
    assertEquals(300, events.size(), "every record of the real exporter");
    assertEquals(300, count("flowsentry.flow.records", "protocol", "netflow5", "exporter", "192.0.2.1"));
    for (int i = 0; i < 249; i++) feed(c, "127.0.3." + i, headerOnly(), 2_000);
    feed(c, "192.0.2.1", V5Datagrams.synthetic(30, 300), 3_000);
    assertEquals(330, events.size(), "forged newcomers push out each other, not the exporter that delivers");
  }

  @Test
  void silentExportersAreForgottenAfterTheTimeout() {
    DatagramPipeline c = collector(new NetflowLimits(null, null, null, null, null, null, null, null, null, "10m", null));
    feed(c, "192.0.2.1", V5Datagrams.synthetic(1, 0), 0);
    feed(c, "192.0.2.2", V5Datagrams.synthetic(1, 0), 0);
    feed(c, "192.0.2.2", V5Datagrams.synthetic(1, 1), 300_000);
    c.expire(600_000);
    assertEquals(2, c.exporterCount(), "silent for exactly the timeout: kept");
    c.expire(600_001);
    assertEquals(1, c.exporterCount());
    assertNull(registry.find("flowsentry.packets.received").tags("exporter", "192.0.2.1").counter(), "forgotten with its series");
    assertEquals(1, c.evictions(EvictionReason.IDLE));
    feed(c, "192.0.2.1", V5Datagrams.synthetic(1, 1), 700_000);
    assertEquals(1, count("flowsentry.packets.received", "exporter", "192.0.2.1"), "back with a fresh entry");
  }

  @Test
  void exporterIdentityCanIncludeThePort() {
    DatagramPipeline c = collector(new NetflowLimits(null, null, null, null, null, null, null, null, null, null, true));
    feed(c, new InetSocketAddress("192.0.2.1", 1), V5Datagrams.synthetic(1, 0));
    feed(c, new InetSocketAddress("2001:db8::1", 2), V5Datagrams.synthetic(1, 0));
    assertEquals(1, count("flowsentry.packets.received", "exporter", "192.0.2.1:1"));
    assertEquals(1, count("flowsentry.packets.received", "exporter", "[2001:db8::1]:2"));
    assertEquals(List.of("192.0.2.1", "2001:db8::1"), events.stream().map(ConnectionEvent::exporter).toList());
  }

  @Test
  void aThrowingDecoderOrHandlerIsCountedAndNeverEscapes() {
    Decoder broken = (m, e, r, l) -> {
      throw new IllegalStateException("bug");
    };
    DatagramPipeline c = new DatagramPipeline(new NetflowV5Decoder(false), broken, broken, new SflowDecoder(false, false),
        FlowNormalizer.withDefaults(), e -> { throw new IllegalStateException("handler bug"); },
        NetflowLimits.defaults(), registry, CLOCK);
    feed(c, EXPORTER, versioned(9, 0));
    feed(c, EXPORTER, V5Datagrams.synthetic(2, 0));
    assertEquals(1, errors("netflow9", "internal_error"));
    assertEquals(2, errors("netflow5", "internal_error")); // each record was still tried
    assertEquals(2, count("flowsentry.flow.records", "protocol", "netflow5", "exporter", "192.0.2.1"));
    assertNull(registry.find("flowsentry.packets.received").tags("protocol", "netflow9", "exporter", "192.0.2.1").counter(),
        "no header decoded, so nothing is counted per exporter");
  }

  @Test
  void skippedRecordsAreReportedOnceEvenWhenTheDecoderOrTheReportFails() {
    PickyHandler handler = new PickyHandler();
    handler.wanted = IpAddr.parse("10.9.9.9"); // none of the records below
    // a decoder that delivers two records and then fails: the two are still reported
    Decoder failing = (m, e, r, l) -> {
      fake("v9", 9).decode(m, e, r, l);
      fake("v9", 9).decode(m, e, r, l);
      throw new IllegalStateException("bug after two records");
    };
    DatagramPipeline c = new DatagramPipeline(new NetflowV5Decoder(false), failing, failing, new SflowDecoder(false, false),
        FlowNormalizer.withDefaults(), handler, NetflowLimits.defaults(), registry, CLOCK);
    feed(c, EXPORTER, versioned(9, 0));
    assertEquals(List.of("skipped NETFLOW9 2 1700000000000000"), handler.log);
    assertEquals(1, errors("netflow9", "internal_error"));

    // a handler whose onSkipped throws: counted as an internal error, never escapes
    EventHandler throwing = new EventHandler() {
      @Override
      public void onEvent(ConnectionEvent e) {}

      @Override
      public boolean wants(IpAddr a, IpAddr b) {
        return false;
      }

      @Override
      public void onSkipped(EventSource source, int count, long newestTsMicros) {
        throw new IllegalStateException("handler bug");
      }
    };
    DatagramPipeline d = new DatagramPipeline(new NetflowV5Decoder(false), fake("v9", 9), fake("ipfix", 10), new SflowDecoder(false, false),
        FlowNormalizer.withDefaults(), throwing, NetflowLimits.defaults(), registry, CLOCK);
    feed(d, EXPORTER, V5Datagrams.synthetic(3, 0));
    assertEquals(1, errors("netflow5", "internal_error"));
    assertEquals(3, count("flowsentry.flow.records", "protocol", "netflow5", "exporter", "192.0.2.1"));
  }

  @Test
  void akvoradoNfv5CaptureBecomesEventsAndMetrics() throws Exception {
    DatagramPipeline c = collector();
    for (CapturedDatagram d : PcapReader.readAll(SharedTestData.path("testdata/netflow/akvorado/pcap/nfv5.pcap"))) {
      c.onDatagram(d.sender(), Unpooled.wrappedBuffer(d.payload()), d.timestampMicros() / 1000);
    }
    assertEquals(29, events.size());
    assertEquals(1, count("flowsentry.packets.received", "protocol", "netflow5", "exporter", "10.19.144.41"));
    assertEquals(29, count("flowsentry.flow.records", "protocol", "netflow5", "exporter", "10.19.144.41"));
    assertEquals(0, registry.find("flowsentry.decode.errors").counters().stream().mapToDouble(Counter::count).sum());
    assertEquals(0, count("flowsentry.sequence.gaps", "exporter", "10.19.144.41"));
    assertEquals(0, count("flowsentry.enterprise.elements.skipped", "exporter", "10.19.144.41"),
        "a kept exporter's series exist from its first datagram, for the dashboard's Exporters table");

    // TestDecodeNFv5's flow: both ports ephemeral, so the source stays the originator
    ConnectionEvent e = events.getFirst();
    assertEquals(Map.of("orig_h", "161.202.212.212", "orig_p", 30104, "resp_h", "202.152.70.24", "resp_p", 11963),
        Map.of("orig_h", e.origH().toString(), "orig_p", e.origP(), "resp_h", e.respH().toString(), "resp_p", e.respP()));
    assertEquals(6, e.proto());
    assertEquals(1, e.origPkts());
    assertEquals(133, e.origIpBytes());
    assertEquals(-1, e.respPkts());
    assertEquals(1, e.samplingRate());
    assertEquals(DirectionConfidence.ASSUMED, e.directionConfidence());
    assertEquals(1_680_626_664_000_000L, e.tsMicros());
    assertEquals(0, e.durationMicros());
    assertEquals(3, e.observationDomain());
    assertEquals("10.19.144.41", e.exporter());
    // record 1 of the capture is 173.194.4.8:443 -> 202.160.21.5:37422: a web server's reply
    ConnectionEvent reply = events.get(1);
    assertEquals("202.160.21.5", reply.origH().toString());
    assertEquals(37422, reply.origP());
    assertEquals("173.194.4.8", reply.respH().toString());
    assertEquals(443, reply.respP());
    assertEquals(-1, reply.origPkts());
    assertEquals(7, reply.respPkts());
    assertEquals(0x2816, reply.respIpBytes());
    assertEquals(DirectionConfidence.PORT_HEURISTIC, reply.directionConfidence());
  }

  /** Wants flows touching {@link #wanted} (everything when null) and logs what it is handed, in order. */
  private static final class PickyHandler implements EventHandler {
    IpAddr wanted;
    final List<String> log = new ArrayList<>();
    final List<ConnectionEvent> events = new ArrayList<>();

    @Override
    public void onEvent(ConnectionEvent e) {
      events.add(e);
      log.add("event " + e.origH());
    }

    @Override
    public boolean wants(IpAddr a, IpAddr b) {
      return wanted == null || wanted.equals(a) || wanted.equals(b);
    }

    @Override
    public void onSkipped(EventSource source, int count, long newestTsMicros) {
      log.add("skipped " + source + " " + count + " " + newestTsMicros);
    }
  }

  private static V5Datagrams.Rec v5(String src, int srcPort, String dst, int dstPort, long first) {
    return new V5Datagrams.Rec((int) IpAddr.parse(src).lo(), (int) IpAddr.parse(dst).lo(), 0, 1, 2, 3, 300, first, first + 10,
        srcPort, dstPort, 0x1B, 6, 0, 0, 0, 0, 0);
  }

  @Test
  void recordsTheHandlerDoesNotWantAreCountedInOrderAndNotRemembered() {
    PickyHandler handler = new PickyHandler();
    handler.wanted = IpAddr.parse("10.9.9.9");
    DatagramPipeline c = new DatagramPipeline(new NetflowV5Decoder(false), fake("v9", 9), fake("ipfix", 10), new SflowDecoder(false, false),
        FlowNormalizer.withDefaults(), handler, NetflowLimits.defaults(), registry, CLOCK);
    // export time 1 700 000 000 s at uptime 3 600 000 ms: a record's start is export time - (uptime - first)
    long uptime = 3_600_000;
    V5Datagrams.Header header = new V5Datagrams.Header(4, uptime, 1_700_000_000L, 0, 0, 0, 0, 0);
    feed(c, EXPORTER, V5Datagrams.datagram(header, List.of(
        v5("10.0.0.1", 50000, "198.51.100.1", 50001, uptime - 4000),
        v5("10.0.0.2", 50000, "198.51.100.1", 50001, uptime - 5000),
        v5("10.9.9.9", 50000, "198.51.100.2", 50001, uptime - 3000),
        v5("10.0.0.3", 50000, "198.51.100.1", 50001, uptime - 2000))));
    long t0 = 1_700_000_000_000_000L;
    assertEquals(List.of(
        "skipped NETFLOW5 2 " + (t0 - 4_000_000),
        "event 10.9.9.9",
        "skipped NETFLOW5 1 " + (t0 - 2_000_000)), handler.log);
    assertEquals(4, count("flowsentry.flow.records", "protocol", "netflow5", "exporter", "192.0.2.1"));

    // a skipped flow goes through no originator decision: its reply (unwanted too, unless the
    // handler changed its mind, as after a reload) is not recognized as one, while the reply to
    // the wanted flow is
    handler.wanted = null;
    feed(c, EXPORTER, V5Datagrams.datagram(new V5Datagrams.Header(2, uptime, 1_700_000_000L, 0, 4, 0, 0, 0),
        List.of(v5("198.51.100.1", 50001, "10.0.0.1", 50000, uptime - 1000),
            v5("198.51.100.2", 50001, "10.9.9.9", 50000, uptime - 1000))));
    ConnectionEvent replyToSkipped = handler.events.get(1);
    assertEquals(IpAddr.parse("198.51.100.1"), replyToSkipped.origH());
    assertEquals(DirectionConfidence.ASSUMED, replyToSkipped.directionConfidence());
    ConnectionEvent replyToWanted = handler.events.get(2);
    assertEquals(IpAddr.parse("10.9.9.9"), replyToWanted.origH());
    assertEquals(DirectionConfidence.REVERSE_SEEN, replyToWanted.directionConfidence());
  }
}
