package io.flowsentry.collector.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.FlowRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Hand-built frames: IPv6 extension headers and SRv6 encapsulation, with and without decapsulation. */
class PacketHeaderTest {

  private static final String OUTER_SRC = "2001:db8::1";
  private static final String OUTER_DST = "2001:db8::2";

  @Test
  void srv6WithSegmentRoutingHeaderIsReportedByTheInnerPacketWhenDecapsulating() {
    byte[] frame = ethernetIpv6(43, srh(4), ipv4(6, "10.1.2.3", "198.51.100.7", 52)).array();
    FlowRecord.Builder inner = fill(frame, true);
    assertEquals(IpAddr.parse("10.1.2.3"), inner.sourceAddress());
    assertEquals(IpAddr.parse("198.51.100.7"), inner.destinationAddress());
    assertEquals(6, inner.protocol);
    assertEquals(40001, inner.sourcePort);
    assertEquals(443, inner.destinationPort);
    assertEquals(52, inner.octets, "the inner packet's length");

    FlowRecord.Builder outer = fill(frame, false);
    assertEquals(IpAddr.parse(OUTER_SRC), outer.sourceAddress());
    assertEquals(IpAddr.parse(OUTER_DST), outer.destinationAddress());
    assertEquals(4, outer.protocol, "the next header after the SRH: IPv4");
    assertEquals(-1, outer.sourcePort);
  }

  @Test
  void reducedSrv6EncapsulationWithoutSrhCarriesIpv6() {
    ByteBuf innerV6 = Unpooled.buffer();
    innerV6.writeInt(0x6000_0000).writeShort(8).writeByte(17).writeByte(64);
    innerV6.writeBytes(IpAddr.parse("fd00::10").toInetAddress().getAddress());
    innerV6.writeBytes(IpAddr.parse("2001:db8:ffff::53").toInetAddress().getAddress());
    innerV6.writeShort(5353).writeShort(53).writeShort(8).writeShort(0);
    FlowRecord.Builder b = fill(ethernetIpv6(41, Unpooled.EMPTY_BUFFER, innerV6).array(), true);
    assertEquals(IpAddr.parse("fd00::10"), b.sourceAddress());
    assertEquals(17, b.protocol);
    assertEquals(53, b.destinationPort);
  }

  @Test
  void transportPortsAreReadPastExtensionHeaders() {
    ByteBuf hopByHop = Unpooled.buffer().writeByte(17).writeByte(0).writeZero(6); // 8 bytes, next header UDP
    ByteBuf udp = Unpooled.buffer().writeShort(40000).writeShort(123).writeShort(8).writeShort(0);
    FlowRecord.Builder b = fill(ethernetIpv6(0, hopByHop, udp).array(), true);
    assertEquals(IpAddr.parse(OUTER_SRC), b.sourceAddress());
    assertEquals(17, b.protocol);
    assertEquals(40000, b.sourcePort);
    assertEquals(123, b.destinationPort);
  }

  @Test
  void aLaterIpv6FragmentHasNoPorts() {
    ByteBuf fragment = Unpooled.buffer().writeByte(6).writeByte(0).writeShort(185 << 3).writeInt(7); // offset 1480
    ByteBuf payload = Unpooled.buffer().writeShort(40000).writeShort(443).writeZero(16);
    FlowRecord.Builder later = fill(ethernetIpv6(44, fragment, payload).array(), true);
    assertEquals(6, later.protocol);
    assertEquals(-1, later.sourcePort, "payload bytes are not ports");
    fragment.setShort(2, 1); // offset 0, more fragments: the first one has the TCP header
    assertEquals(40000, fill(ethernetIpv6(44, fragment, payload).array(), true).sourcePort);
  }

  @Test
  void aSegmentRoutingHeaderLongerThanTheSectionYieldsTheOuterHeaderOnly() {
    ByteBuf srh = srh(4);
    srh.setByte(1, 200); // claims 1608 bytes
    FlowRecord.Builder b = fill(ethernetIpv6(43, srh, Unpooled.EMPTY_BUFFER).array(), true);
    assertEquals(IpAddr.parse(OUTER_SRC), b.sourceAddress());
    assertEquals(-1, b.sourcePort);
  }

  @Test
  void everyPrefixOfAnEncapsulatedFrameIsReadWithinItsBounds() {
    byte[] frame = ethernetIpv6(43, srh(4), ipv4(6, "10.1.2.3", "198.51.100.7", 52)).array();
    for (int len = 0; len <= frame.length; len++) {
      FlowRecord.Builder b = FlowRecord.builder();
      PacketHeader.fillFromEthernet(frame, 0, len, true, b);
      if (len < 14 + 40) assertNull(b.sourceAddress(), "prefix of " + len);
    }
  }

  private static FlowRecord.Builder fill(byte[] frame, boolean decapsulate) {
    FlowRecord.Builder b = FlowRecord.builder();
    PacketHeader.fillFromEthernet(frame, 0, frame.length, decapsulate, b);
    return b;
  }

  /** Ethernet, then an IPv6 header with {@code nextHeader}, then {@code extension} and {@code payload}. */
  private static ByteBuf ethernetIpv6(int nextHeader, ByteBuf extension, ByteBuf payload) {
    ByteBuf f = Unpooled.buffer();
    f.writeBytes(ByteBufUtil.decodeHexDump("0000000000010000000000020000"));
    f.setShort(12, 0x86DD);
    f.writeInt(0x6000_0000).writeShort(extension.readableBytes() + payload.readableBytes()).writeByte(nextHeader).writeByte(64);
    f.writeBytes(IpAddr.parse(OUTER_SRC).toInetAddress().getAddress());
    f.writeBytes(IpAddr.parse(OUTER_DST).toInetAddress().getAddress());
    f.writeBytes(extension.duplicate()).writeBytes(payload.duplicate());
    return f;
  }

  /** A segment routing header (routing type 4) with one segment. */
  private static ByteBuf srh(int nextHeader) {
    ByteBuf h = Unpooled.buffer();
    h.writeByte(nextHeader).writeByte(2).writeByte(4).writeByte(0).writeByte(0).writeByte(0).writeShort(0);
    h.writeBytes(IpAddr.parse("2001:db8:100::1").toInetAddress().getAddress());
    return h;
  }

  /** An IPv4 header of {@code totalLength} with TCP ports 40001 → 443 after it. */
  private static ByteBuf ipv4(int protocol, String src, String dst, int totalLength) {
    ByteBuf p = Unpooled.buffer();
    p.writeByte(0x45).writeByte(0).writeShort(totalLength).writeInt(0).writeByte(63).writeByte(protocol).writeShort(0);
    p.writeBytes(IpAddr.parse(src).toInetAddress().getAddress());
    p.writeBytes(IpAddr.parse(dst).toInetAddress().getAddress());
    p.writeShort(40001).writeShort(443).writeInt(0).writeInt(0).writeShort(0x5002).writeShort(0);
    return p;
  }
}
