package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;

/**
 * sFlow v5 datagrams of 10 flow samples, as a switch sends them (sflow_version_5.txt): each
 * sample is one sampled packet of a synthetic flow, its first one (a TCP flow's SYN, so the
 * collector sees who initiated), carried as a sampled-header record with the packet's Ethernet,
 * IPv4 and TCP/UDP/ICMP headers.
 *
 * <pre>
 *  datagram: version 5 | address type 1 | agent 127.0.0.1 | sub-agent 0 | sequence | uptime | 10 samples
 *  flow sample (0:1): sequence | source 0:1 | sampling rate | sample pool | drops 0 | input | output | 1 record
 *  sampled header (0:1): protocol 1 (Ethernet) | frame length | stripped 4 | header length | header
 * </pre>
 *
 * One sample stands for {@link #SAMPLING_RATE} packets of the flow's mean packet size (IP length,
 * at least the headers written, at most 1500): that is what the totals count, as a collector
 * scales them. The datagram sequence is packet number + 1 and each sample's sequence counts the
 * samples sent before it + 1, so a collector sees no gap.
 */
public final class SflowEncoder implements ExportEncoder {
  public static final int RECORDS_PER_PACKET = 10;
  /** One packet in this many is sampled. */
  public static final int SAMPLING_RATE = 64;
  private static final int AGENT = 0x7F00_0001;
  private static final int ETHERNET = 14;
  private static final int IPV4 = 20;
  private static final int HEADER_BYTES = ETHERNET + IPV4 + 20; // room for a TCP header; UDP and ICMP use 8
  private static final int MAX_IP_LENGTH = 1500;

  private final SyntheticFlows flows;
  private final long bootMillis;

  /** @param bootMillis when the simulated agent booted (uptime 0), before any export time */
  public SflowEncoder(SyntheticFlows flows, long bootMillis) {
    this.flows = flows;
    this.bootMillis = bootMillis;
  }

  @Override
  public int recordsPerPacket() {
    return RECORDS_PER_PACKET;
  }

  @Override
  public void encode(ByteBuf out, long packetNumber, long exportTimeMillis, ExportTotals totals) {
    int start = out.writerIndex();
    out.writeInt(5);
    out.writeInt(1);
    out.writeInt(AGENT);
    out.writeInt(0); // sub-agent
    out.writeInt((int) (packetNumber + 1));
    out.writeInt((int) (exportTimeMillis - bootMillis));
    out.writeInt(RECORDS_PER_PACKET);
    long first = packetNumber * RECORDS_PER_PACKET;
    for (int j = 0; j < RECORDS_PER_PACKET; j++) {
      int i = (int) Math.floorMod(first + j, (long) flows.size());
      long sample = first + j + 1;
      int ipLength = ipLength(i);
      out.writeInt(1); // flow sample
      out.writeInt(32 + 8 + 16 + HEADER_BYTES + 2); // header padded to a multiple of 4
      out.writeInt((int) sample);
      out.writeInt(1); // source: ifIndex 1
      out.writeInt(SAMPLING_RATE);
      out.writeInt((int) (sample * SAMPLING_RATE)); // sample pool
      out.writeInt(0); // drops
      out.writeInt(flows.inputInterface(i));
      out.writeInt(flows.outputInterface(i));
      out.writeInt(1); // records
      out.writeInt(1); // sampled header
      out.writeInt(16 + HEADER_BYTES + 2);
      out.writeInt(1); // Ethernet
      out.writeInt(ETHERNET + ipLength + 4); // frame length, FCS included
      out.writeInt(4); // stripped: the FCS
      out.writeInt(HEADER_BYTES);
      writeHeader(out, i, ipLength);
      out.writeShort(0); // XDR padding
      totals.addRecord((long) ipLength * SAMPLING_RATE, SAMPLING_RATE);
    }
    totals.addDatagram(out.writerIndex() - start);
  }

  /** The flow's mean packet size, between its headers' length and an Ethernet MTU. */
  private int ipLength(int i) {
    long mean = flows.octets(i) / Math.max(flows.packets(i), 1);
    return (int) Math.max(IPV4 + 20, Math.min(mean, MAX_IP_LENGTH));
  }

  /** Ethernet, IPv4 and the transport header of the flow's first packet, {@link #HEADER_BYTES} in all. */
  private void writeHeader(ByteBuf out, int i, int ipLength) {
    out.writeInt(0x0200_0000).writeShort(0x0002); // destination MAC 02:00:00:00:00:02
    out.writeInt(0x0200_0000).writeShort(0x0001); // source MAC 02:00:00:00:00:01
    out.writeShort(0x0800);
    int protocol = flows.protocol(i);
    out.writeByte(0x45).writeByte(0).writeShort(ipLength);
    out.writeShort((int) i).writeShort(0x4000); // identification, don't fragment
    out.writeByte(64).writeByte(protocol).writeShort(0); // TTL, protocol, checksum not computed
    out.writeInt(flows.src(i));
    out.writeInt(flows.dst(i));
    int flags = flows.tcpFlags(i);
    if (protocol == 6) {
      out.writeShort(flows.srcPort(i)).writeShort(flows.dstPort(i));
      out.writeInt(1).writeInt(0); // sequence, acknowledgment
      out.writeByte(0x50).writeByte((flags & 0x02) != 0 ? 0x02 : flags); // the opening SYN of a flow that had one
      out.writeShort(65535).writeInt(0); // window, checksum, urgent pointer
    } else if (protocol == 1) {
      out.writeShort(flows.dstPort(i)).writeShort(0).writeInt(0); // type and code (NetFlow's port convention)
      out.writeZero(12);
    } else {
      out.writeShort(flows.srcPort(i)).writeShort(flows.dstPort(i));
      out.writeShort(ipLength - IPV4).writeShort(0).writeZero(12); // UDP length and checksum, then unused room
    }
  }
}
