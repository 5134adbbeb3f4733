package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;
import java.util.function.IntConsumer;

/**
 * Writes synthetic export packets. Pure: packet number {@code n} always carries the same records
 * (flows {@code n * recordsPerPacket() ...} modulo the flow table) and the same sequence
 * numbers, whatever was written before, so runs are reproducible and totals exact.
 */
public sealed interface ExportEncoder permits NetflowV5Encoder, NetflowV9Encoder, IpfixEncoder, SflowEncoder {

  /** Data records in every packet. */
  int recordsPerPacket();

  /**
   * Appends export packet {@code packetNumber} (0-based) to {@code out} and adds one datagram
   * and its records to {@code totals}.
   */
  void encode(ByteBuf out, long packetNumber, long exportTimeMillis, ExportTotals totals);

  /**
   * Calls {@code writer} with the flow table index of each record of packet {@code packetNumber},
   * in order, and adds the records to {@code totals}.
   */
  static void forEachRecord(SyntheticFlows flows, int recordsPerPacket, long packetNumber, ExportTotals totals, IntConsumer writer) {
    long first = packetNumber * recordsPerPacket;
    for (int j = 0; j < recordsPerPacket; j++) {
      int i = (int) Math.floorMod(first + j, (long) flows.size());
      writer.accept(i);
      totals.addRecord(flows.octets(i), flows.packets(i));
    }
  }

  /** The leading fields of the v9 and IPFIX templates: addresses, ports, protocol, TCP flags, TOS. */
  static void writeKeyFields(ByteBuf out, SyntheticFlows flows, int i) {
    out.writeInt(flows.src(i));
    out.writeInt(flows.dst(i));
    out.writeShort(flows.srcPort(i));
    out.writeShort(flows.dstPort(i));
    out.writeByte(flows.protocol(i));
    out.writeByte(flows.tcpFlags(i));
    out.writeByte(0);
  }

  static ExportEncoder of(ExportVersion version, SyntheticFlows flows, long bootMillis, int templateEvery) {
    return switch (version) {
      case V5 -> new NetflowV5Encoder(flows, bootMillis);
      case V9 -> new NetflowV9Encoder(flows, bootMillis, templateEvery);
      case IPFIX -> new IpfixEncoder(flows, templateEvery);
      case SFLOW -> new SflowEncoder(flows, bootMillis);
    };
  }
}
