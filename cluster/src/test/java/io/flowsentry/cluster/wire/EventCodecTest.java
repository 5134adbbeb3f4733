package io.flowsentry.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import org.junit.jupiter.api.Test;

class EventCodecTest {
  private final EventCodec codec = new EventCodec(CommunityId.DEFAULT_SEED);

  static ConnectionEvent full() {
    return ConnectionEvent.builder().tsMicros(1_225_743_661_858_791L).durationMicros(1234)
        .origH("192.168.4.7").origP(137).respH("2001:db8::9").respP(443).proto(ConnectionEvent.TCP)
        .icmpType(-1).icmpCode(-1).origPkts(3).origIpBytes(180).respPkts(-1).respIpBytes(-1)
        .origBytes(-1).respBytes(7).directionConfidence(DirectionConfidence.REVERSE_SEEN)
        .source(EventSource.IPFIX).exporter("10.0.0.1").observationDomain(4_000_000_000L)
        .uid("CabC1").samplingRate(100).connState("SF").service("ssl").build();
  }

  @Test
  void everyFieldButRawCrosses() throws Exception {
    ConnectionEvent e = full();
    assertEquals(e, EventCodec.decode(codec.encode(e)));
  }

  @Test
  void absentStringsStayAbsentAndDefaultsCross() throws Exception {
    ConnectionEvent e = ConnectionEvent.builder().tsMicros(5).origH("10.0.0.1").respH("8.8.8.8").respP(53)
        .proto(ConnectionEvent.UDP).source(EventSource.NETFLOW5).build();
    assertEquals(e, EventCodec.decode(codec.encode(e)));
  }

  @Test
  void carriesTheCommunityIdOfTheCollectorsSeed() {
    ConnectionEvent e = full();
    assertEquals(new CommunityId(7).of(e), new EventCodec(new CommunityId(7)).toWire(e).getCommunityId());
  }

  @Test
  void rejectsAnAddressOfAnotherLength() {
    byte[] bad = codec.toWire(full()).toBuilder().setOrigH(ByteString.copyFrom(new byte[5])).build().toByteArray();
    MalformedRecordException e = assertThrows(MalformedRecordException.class, () -> EventCodec.decode(bad));
    assertEquals("orig_h: 5 bytes (expected: 4 or 16)", e.getMessage());
  }

  @Test
  void rejectsAPortOutOfRangeAndAnUnknownSource() {
    byte[] port = codec.toWire(full()).toBuilder().setRespP(70_000).build().toByteArray();
    assertEquals("resp_p: 70000 (expected: 0..65535)",
        assertThrows(MalformedRecordException.class, () -> EventCodec.decode(port)).getMessage());
    byte[] source = codec.toWire(full()).toBuilder().setSourceValue(99).build().toByteArray();
    assertTrue(assertThrows(MalformedRecordException.class, () -> EventCodec.decode(source)).getMessage().startsWith("source: "));
  }

  @Test
  void rejectsBytesThatAreNotAnEvent() {
    assertThrows(MalformedRecordException.class, () -> EventCodec.decode(new byte[] {(byte) 0xff, (byte) 0xff}));
  }

  @Test
  void flowKeyIsTheSameForBothDirections() {
    IpAddr a = IpAddr.parse("192.168.4.7");
    IpAddr b = IpAddr.parse("203.0.113.9");
    assertArrayEquals(FlowKey.of(a, b), FlowKey.of(b, a));
    assertArrayEquals(new byte[] {(byte) 192, (byte) 168, 4, 7, (byte) 203, 0, 113, 9}, FlowKey.of(b, a));
    ConnectionEvent request = full();
    ConnectionEvent reply = request.toBuilder().origH(request.respH()).respH(request.origH()).origP(443).respP(137).build();
    assertArrayEquals(FlowKey.of(request), FlowKey.of(reply));
  }
}
