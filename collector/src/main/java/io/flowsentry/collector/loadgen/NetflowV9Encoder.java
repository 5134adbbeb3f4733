package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;

/**
 * NetFlow v9 (RFC 3954) packets of 30 IPv4 data records; the template flowset goes first in
 * packet 0 and in every {@code templateEvery}-th packet after it, as routers refresh it.
 *
 * <pre>
 *  header (20 bytes)                     template flowset              data flowset
 *  0   version = 9 | count               flowset id = 0 | length       flowset id = 256 | length
 *  4   sysUptime (ms)                    template id = 256 | 13        30 records of 35 bytes
 *  8   unix_secs                         (type | length) x 13          padding to 4 bytes
 *  12  package sequence
 *  16  source id
 * </pre>
 *
 * count is every record in the packet, template records included (RFC 3954 section 5.1);
 * the sequence counts export packets.
 */
public final class NetflowV9Encoder implements ExportEncoder {
  public static final int RECORDS_PER_PACKET = 30;
  public static final int TEMPLATE_ID = 256;
  public static final int SOURCE_ID = 1;
  /** {type, length} of each field, in record order. */
  static final int[][] FIELDS = {
      {8, 4},   // IPV4_SRC_ADDR
      {12, 4},  // IPV4_DST_ADDR
      {7, 2},   // L4_SRC_PORT
      {11, 2},  // L4_DST_PORT
      {4, 1},   // PROTOCOL
      {6, 1},   // TCP_FLAGS
      {5, 1},   // SRC_TOS
      {10, 2},  // INPUT_SNMP
      {14, 2},  // OUTPUT_SNMP
      {2, 4},   // IN_PKTS
      {1, 4},   // IN_BYTES
      {22, 4},  // FIRST_SWITCHED
      {21, 4},  // LAST_SWITCHED
  };
  public static final int RECORD_BYTES = 35;

  private final SyntheticFlows flows;
  private final long bootMillis;
  private final int templateEvery;

  /**
   * @param bootMillis when the simulated exporter booted (sysUptime 0), before any export time
   * @param templateEvery the template is sent in packet 0 and every this many packets
   */
  public NetflowV9Encoder(SyntheticFlows flows, long bootMillis, int templateEvery) {
    if (templateEvery < 1) throw new IllegalArgumentException("templateEvery: " + templateEvery + " (expected: 1+)");
    this.flows = flows;
    this.bootMillis = bootMillis;
    this.templateEvery = templateEvery;
  }

  @Override
  public int recordsPerPacket() {
    return RECORDS_PER_PACKET;
  }

  @Override
  public void encode(ByteBuf out, long packetNumber, long exportTimeMillis, ExportTotals totals) {
    int start = out.writerIndex();
    boolean withTemplate = packetNumber % templateEvery == 0;
    long uptime = exportTimeMillis - bootMillis;
    out.writeShort(9);
    out.writeShort(RECORDS_PER_PACKET + (withTemplate ? 1 : 0));
    out.writeInt((int) uptime);
    out.writeInt((int) (exportTimeMillis / 1000));
    out.writeInt((int) packetNumber);
    out.writeInt(SOURCE_ID);
    if (withTemplate) TemplateSets.write(out, 0, TEMPLATE_ID, FIELDS);
    int setStart = out.writerIndex();
    out.writeShort(TEMPLATE_ID);
    out.writeShort(0); // length, set below
    ExportEncoder.forEachRecord(flows, RECORDS_PER_PACKET, packetNumber, totals, i -> {
      long last = uptime - flows.endAgoMillis(i);
      ExportEncoder.writeKeyFields(out, flows, i);
      out.writeShort(flows.inputInterface(i));
      out.writeShort(flows.outputInterface(i));
      out.writeInt((int) flows.packets(i));
      out.writeInt((int) flows.octets(i));
      out.writeInt((int) (last - flows.durationMillis(i)));
      out.writeInt((int) last);
    });
    TemplateSets.padAndClose(out, setStart);
    totals.addDatagram(out.writerIndex() - start);
  }
}
