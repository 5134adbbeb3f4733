package io.flowsentry.collector.loadgen;

import io.netty.buffer.ByteBuf;

/**
 * IPFIX (RFC 7011) messages of 25 IPv4 data records; the template set goes first in message 0
 * and in every {@code templateEvery}-th message after it (UDP transport, section 10.3.6).
 *
 * <pre>
 *  message header (16 bytes)             template set (id 2)           data set (id 256)
 *  0   version = 10 | length             set id = 2 | length           set id = 256 | length
 *  4   export time (s)                   template id = 256 | 13        25 records of 55 bytes
 *  8   sequence number                   (IE id | length) x 13         padding to 4 bytes
 *  12  observation domain id
 * </pre>
 *
 * The sequence number counts the data records sent before this message (section 3.1).
 */
public final class IpfixEncoder implements ExportEncoder {
  public static final int RECORDS_PER_PACKET = 25;
  public static final int TEMPLATE_ID = 256;
  public static final int OBSERVATION_DOMAIN = 1;
  /** {information element id, length} of each field, in record order. */
  static final int[][] FIELDS = {
      {8, 4},    // sourceIPv4Address
      {12, 4},   // destinationIPv4Address
      {7, 2},    // sourceTransportPort
      {11, 2},   // destinationTransportPort
      {4, 1},    // protocolIdentifier
      {6, 1},    // tcpControlBits (reduced size)
      {5, 1},    // ipClassOfService
      {10, 4},   // ingressInterface
      {14, 4},   // egressInterface
      {2, 8},    // packetDeltaCount
      {1, 8},    // octetDeltaCount
      {152, 8},  // flowStartMilliseconds
      {153, 8},  // flowEndMilliseconds
  };
  public static final int RECORD_BYTES = 55;

  private final SyntheticFlows flows;
  private final int templateEvery;

  /** @param templateEvery the template is sent in message 0 and every this many messages */
  public IpfixEncoder(SyntheticFlows flows, int templateEvery) {
    if (templateEvery < 1) throw new IllegalArgumentException("templateEvery: " + templateEvery + " (expected: 1+)");
    this.flows = flows;
    this.templateEvery = templateEvery;
  }

  @Override
  public int recordsPerPacket() {
    return RECORDS_PER_PACKET;
  }

  @Override
  public void encode(ByteBuf out, long packetNumber, long exportTimeMillis, ExportTotals totals) {
    int start = out.writerIndex();
    out.writeShort(10);
    out.writeShort(0); // length, set below
    out.writeInt((int) (exportTimeMillis / 1000));
    out.writeInt((int) (packetNumber * RECORDS_PER_PACKET));
    out.writeInt(OBSERVATION_DOMAIN);
    if (packetNumber % templateEvery == 0) TemplateSets.write(out, 2, TEMPLATE_ID, FIELDS);
    int setStart = out.writerIndex();
    out.writeShort(TEMPLATE_ID);
    out.writeShort(0);
    ExportEncoder.forEachRecord(flows, RECORDS_PER_PACKET, packetNumber, totals, i -> {
      long end = exportTimeMillis - flows.endAgoMillis(i);
      ExportEncoder.writeKeyFields(out, flows, i);
      out.writeInt(flows.inputInterface(i));
      out.writeInt(flows.outputInterface(i));
      out.writeLong(flows.packets(i));
      out.writeLong(flows.octets(i));
      out.writeLong(end - flows.durationMillis(i));
      out.writeLong(end);
    });
    TemplateSets.padAndClose(out, setStart);
    out.setShort(start + 2, out.writerIndex() - start);
    totals.addDatagram(out.writerIndex() - start);
  }
}
