package io.flowsentry.collector.sflow;

import io.flowsentry.collector.event.IpAddr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** Hand-built sFlow v5 datagrams for tests: a header, then samples appended one by one. */
public final class SflowWriter {

  private final ByteBuf out = Unpooled.buffer();
  private final int countAt;
  private int samples;

  private SflowWriter(IpAddr agent, long subAgent, long sequence, long uptime) {
    out.writeInt(5);
    out.writeInt(agent.v6() ? 2 : 1);
    out.writeBytes(agent.toBytes());
    out.writeInt((int) subAgent);
    out.writeInt((int) sequence);
    out.writeInt((int) uptime);
    countAt = out.writerIndex();
    out.writeInt(0);
  }

  public static SflowWriter datagram(String agent, long subAgent, long sequence) {
    return new SflowWriter(IpAddr.parse(agent), subAgent, sequence, 1_000_000);
  }

  /** A compact flow sample of source ifIndex 1 with one sampled-header record holding an Ethernet/IPv4/TCP-or-UDP header. */
  public SflowWriter tcpSample(long sampleSequence, long rate, String src, int srcPort, String dst, int dstPort, int flags) {
    return flowSample(sampleSequence, rate, 0, ethernetIpv4(6, src, srcPort, dst, dstPort, flags, 60));
  }

  public SflowWriter udpSample(long sampleSequence, long rate, String src, int srcPort, String dst, int dstPort) {
    return flowSample(sampleSequence, rate, 0, ethernetIpv4(17, src, srcPort, dst, dstPort, 0, 60));
  }

  /** A compact flow sample with one sampled-header record of {@code header} (Ethernet). */
  public SflowWriter flowSample(long sampleSequence, long rate, long drops, byte[] header) {
    ByteBuf record = Unpooled.buffer();
    record.writeInt(1).writeInt(header.length + 18).writeInt(header.length).writeInt(header.length);
    record.writeBytes(header).writeZero((4 - header.length % 4) % 4);
    ByteBuf s = Unpooled.buffer();
    s.writeInt((int) sampleSequence).writeInt(1).writeInt((int) rate).writeInt((int) (sampleSequence * rate))
        .writeInt((int) drops).writeInt(1).writeInt(2).writeInt(1);
    s.writeInt(1).writeInt(record.readableBytes()).writeBytes(record);
    return sample(1, s);
  }

  /** Any sample: its data format and its bytes (the length is written from them). */
  public SflowWriter sample(int format, ByteBuf data) {
    out.writeInt(format).writeInt(data.readableBytes()).writeBytes(data);
    out.setInt(countAt, ++samples);
    return this;
  }

  public byte[] bytes() {
    byte[] b = new byte[out.readableBytes()];
    out.getBytes(out.readerIndex(), b);
    return b;
  }

  public ByteBuf buffer() {
    return Unpooled.wrappedBuffer(bytes());
  }

  /** Ethernet + IPv4 + an 20-byte TCP or 8-byte UDP header. */
  public static byte[] ethernetIpv4(int protocol, String src, int srcPort, String dst, int dstPort, int flags, int ipLength) {
    ByteBuf f = Unpooled.buffer();
    f.writeInt(0x0200_0000).writeShort(2).writeInt(0x0200_0000).writeShort(1).writeShort(0x0800);
    f.writeByte(0x45).writeByte(0).writeShort(ipLength).writeInt(0).writeByte(64).writeByte(protocol).writeShort(0);
    f.writeInt(IpAddr.parse(src).v4()).writeInt(IpAddr.parse(dst).v4());
    f.writeShort(srcPort).writeShort(dstPort);
    if (protocol == 6) {
      f.writeInt(1).writeInt(0).writeByte(0x50).writeByte(flags).writeShort(1024).writeInt(0);
    } else {
      f.writeShort(ipLength - 20).writeShort(0);
    }
    byte[] b = new byte[f.readableBytes()];
    f.getBytes(0, b);
    return b;
  }
}
