package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;

/**
 * NetFlow v5 packets of 30 records (the format's maximum), as Cisco documents them.
 *
 * <pre>
 *  header (24 bytes)                        record (48 bytes)
 *  0        version = 5 | count             srcaddr
 *  4        sysUptime (ms)                  dstaddr
 *  8        unix_secs                       nexthop
 *  12       unix_nsecs                      input      | output
 *  16       flow_sequence                   dPkts
 *  20       engine_type, engine_id |        dOctets
 *           sampling_interval               first (sysUptime at flow start)
 *                                           last  (sysUptime at last packet)
 *                                           srcport    | dstport
 *                                           pad1, tcp_flags, prot, tos
 *                                           src_as     | dst_as
 *                                           src_mask, dst_mask | pad2
 * </pre>
 *
 * flow_sequence counts the records sent before this packet.
 */
public final class NetflowV5Encoder implements ExportEncoder {
  public static final int RECORDS_PER_PACKET = 30;
  public static final int HEADER_BYTES = 24;
  public static final int RECORD_BYTES = 48;

  private final SyntheticFlows flows;
  private final long bootMillis;

  /** @param bootMillis when the simulated exporter booted (sysUptime 0), before any export time */
  public NetflowV5Encoder(SyntheticFlows flows, long bootMillis) {
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
    long uptime = exportTimeMillis - bootMillis;
    out.writeShort(5);
    out.writeShort(RECORDS_PER_PACKET);
    out.writeInt((int) uptime);
    out.writeInt((int) (exportTimeMillis / 1000));
    out.writeInt((int) (exportTimeMillis % 1000) * 1_000_000);
    out.writeInt((int) (packetNumber * RECORDS_PER_PACKET));
    out.writeByte(0); // engine_type
    out.writeByte(0); // engine_id
    out.writeShort(0); // not sampled
    ExportEncoder.forEachRecord(flows, RECORDS_PER_PACKET, packetNumber, totals, i -> {
      long last = uptime - flows.endAgoMillis(i);
      out.writeInt(flows.src(i));
      out.writeInt(flows.dst(i));
      out.writeInt(0); // nexthop
      out.writeShort(flows.inputInterface(i));
      out.writeShort(flows.outputInterface(i));
      out.writeInt((int) flows.packets(i));
      out.writeInt((int) flows.octets(i));
      out.writeInt((int) (last - flows.durationMillis(i)));
      out.writeInt((int) last);
      out.writeShort(flows.srcPort(i));
      out.writeShort(flows.dstPort(i));
      out.writeByte(0);
      out.writeByte(flows.tcpFlags(i));
      out.writeByte(flows.protocol(i));
      out.writeByte(0); // tos
      out.writeShort(0); // src_as
      out.writeShort(0); // dst_as
      out.writeByte(24);
      out.writeByte(0);
      out.writeShort(0);
    });
    totals.addDatagram(out.writerIndex() - start);
  }
}
