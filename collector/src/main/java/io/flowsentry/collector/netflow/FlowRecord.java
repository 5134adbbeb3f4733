package io.flowsentry.collector.netflow;

import io.flowsentry.collector.event.IpAddr;
import java.util.Map;

/**
 * One decoded NetFlow v5 / v9 / IPFIX data record, as the exporter sent it: counters are not
 * yet scaled by sampling and the originator is not yet decided (that is normalization's job).
 * Unknown numbers are {@code -1}, unknown addresses {@code null}. Field names follow the IANA
 * IPFIX registry; v9 field types share those numbers.
 *
 * @param version 5, 9 or 10 (IPFIX)
 * @param exporter the exporter's address (IP source of the datagram)
 * @param observationDomain v9 source id / IPFIX observation domain id; for v5 (engineType << 8 | engineId)
 * @param templateId template that described the record; 0 for v5
 * @param exportTimeMillis export time from the message header, epoch milliseconds
 * @param sourceAddress sourceIPv4Address (8) or sourceIPv6Address (27)
 * @param destinationAddress destinationIPv4Address (12) or destinationIPv6Address (28)
 * @param sourcePort sourceTransportPort (7)
 * @param destinationPort destinationTransportPort (11)
 * @param protocol protocolIdentifier (4)
 * @param tcpFlags tcpControlBits (6)
 * @param tos ipClassOfService (5)
 * @param octets octetDeltaCount (1) or octetTotalCount (85); NSEL initiatorOctets (231) when only that is present
 * @param packets packetDeltaCount (2) or packetTotalCount (86)
 * @param reverseOctets RFC 5103 reverse octetDeltaCount (PEN 29305) or NSEL responderOctets (232)
 * @param reversePackets RFC 5103 reverse packetDeltaCount (PEN 29305)
 * @param startMillis flow start, absolute epoch milliseconds, whatever the wire encoding was
 * @param endMillis flow end, absolute epoch milliseconds
 * @param inputInterface ingressInterface (10)
 * @param outputInterface egressInterface (14)
 * @param icmpType icmpTypeIPv4 (176) / icmpTypeIPv6 (178), or the high byte of icmpTypeCodeIPv4 (32)
 * @param icmpCode icmpCodeIPv4 (177) / icmpCodeIPv6 (179), or the low byte of icmpTypeCodeIPv4 (32)
 * @param samplingInterval sampling interval that applies to this record: from the record
 *     (samplingInterval 34, samplingPacketInterval 305), the v5 header, or the options data of
 *     the sampler it names; 0 or 1 = unsampled
 * @param samplerId samplerId (48) / selectorId (302), or -1
 * @param flowDirection flowDirection (61): 0 ingress, 1 egress, or -1
 * @param biflowDirection biflowDirection (239): 0 arbitrary, 1 initiator, 2 reverseInitiator, 3 perimeter, or -1
 * @param connectionId NSEL connId (148), or -1
 * @param firewallEvent NSEL firewallEvent (233) / NF_F_FW_EVENT, or -1
 * @param raw every element by IANA name when the decoder was asked to keep them, else null
 */
public record FlowRecord(
    int version,
    IpAddr exporter,
    long observationDomain,
    int templateId,
    long exportTimeMillis,
    IpAddr sourceAddress,
    IpAddr destinationAddress,
    int sourcePort,
    int destinationPort,
    int protocol,
    int tcpFlags,
    int tos,
    long octets,
    long packets,
    long reverseOctets,
    long reversePackets,
    long startMillis,
    long endMillis,
    long inputInterface,
    long outputInterface,
    int icmpType,
    int icmpCode,
    long samplingInterval,
    long samplerId,
    int flowDirection,
    int biflowDirection,
    long connectionId,
    int firewallEvent,
    Map<String, Object> raw) implements FlowFields {

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.version = version; b.exporter = exporter; b.observationDomain = observationDomain;
    b.templateId = templateId; b.exportTimeMillis = exportTimeMillis;
    b.sourceAddress(sourceAddress); b.destinationAddress(destinationAddress);
    b.sourcePort = sourcePort; b.destinationPort = destinationPort; b.protocol = protocol;
    b.tcpFlags = tcpFlags; b.tos = tos; b.octets = octets; b.packets = packets;
    b.reverseOctets = reverseOctets; b.reversePackets = reversePackets;
    b.startMillis = startMillis; b.endMillis = endMillis;
    b.inputInterface = inputInterface; b.outputInterface = outputInterface;
    b.icmpType = icmpType; b.icmpCode = icmpCode; b.samplingInterval = samplingInterval;
    b.samplerId = samplerId; b.flowDirection = flowDirection; b.biflowDirection = biflowDirection;
    b.connectionId = connectionId; b.firewallEvent = firewallEvent; b.raw = raw;
    return b;
  }

  /**
   * Mutable and reusable: decoders may {@link #reset()} one builder per record, and lend it to
   * their listener as the record's {@link FlowFields} (see {@link DecodeListener#decoded}).
   *
   * <p>The two addresses are kept raw, as {@link IpAddr} keeps them (IPv4 in the low 32 bits of
   * {@code lo} with {@code hi} 0) plus a family, so that decoding a record allocates nothing: an
   * {@link IpAddr} is made only when {@link #sourceAddress()}, {@link #destinationAddress()} or
   * {@link #build()} is called, which the collector does only for records that become events.
   */
  public static final class Builder implements FlowFields {
    /** {@link #sourceFamily} / {@link #destinationFamily}: no address (unknown), IPv4, IPv6. */
    public static final int NO_ADDRESS = 0, IPV4 = 4, IPV6 = 6;

    public int version;
    public IpAddr exporter;
    public long observationDomain;
    public int templateId;
    public long exportTimeMillis = -1;
    /** sourceIPv4Address (8) or sourceIPv6Address (27), raw: {@link #NO_ADDRESS} leaves hi and lo 0. */
    public int sourceFamily;
    public long sourceHi, sourceLo;
    /** destinationIPv4Address (12) or destinationIPv6Address (28), raw as the source. */
    public int destinationFamily;
    public long destinationHi, destinationLo;
    public int sourcePort = -1;
    public int destinationPort = -1;
    public int protocol = -1;
    public int tcpFlags = -1;
    public int tos = -1;
    public long octets = -1;
    public long packets = -1;
    public long reverseOctets = -1;
    public long reversePackets = -1;
    public long startMillis = -1;
    public long endMillis = -1;
    public long inputInterface = -1;
    public long outputInterface = -1;
    public int icmpType = -1;
    public int icmpCode = -1;
    public long samplingInterval;
    public long samplerId = -1;
    public int flowDirection = -1;
    public int biflowDirection = -1;
    public long connectionId = -1;
    public int firewallEvent = -1;
    public Map<String, Object> raw;

    /** Clears the per-record fields, keeping version, exporter, domain, template and export time. */
    public Builder reset() {
      clearAddresses();
      sourcePort = -1; destinationPort = -1; protocol = -1; tcpFlags = -1; tos = -1;
      octets = -1; packets = -1; reverseOctets = -1; reversePackets = -1;
      startMillis = -1; endMillis = -1; inputInterface = -1; outputInterface = -1;
      icmpType = -1; icmpCode = -1; samplingInterval = 0; samplerId = -1;
      flowDirection = -1; biflowDirection = -1; connectionId = -1; firewallEvent = -1; raw = null;
      return this;
    }

    @Override public int version() { return version; }
    @Override public int tcpFlags() { return tcpFlags; }
    /** A new {@link IpAddr} of the raw source, or null when the record has none. */
    @Override public IpAddr sourceAddress() { return address(sourceFamily, sourceHi, sourceLo); }
    /** A new {@link IpAddr} of the raw destination, or null when the record has none. */
    @Override public IpAddr destinationAddress() { return address(destinationFamily, destinationHi, destinationLo); }
    @Override public int sourcePort() { return sourcePort; }
    @Override public int destinationPort() { return destinationPort; }
    @Override public int protocol() { return protocol; }
    @Override public int icmpType() { return icmpType; }
    @Override public long startMillis() { return startMillis; }
    @Override public long endMillis() { return endMillis; }
    @Override public long exportTimeMillis() { return exportTimeMillis; }
    @Override public int biflowDirection() { return biflowDirection; }
    @Override public long connectionId() { return connectionId; }
    @Override public int firewallEvent() { return firewallEvent; }

    /**
     * Clears only the two addresses: for a decoder that then sets every other per-record field
     * itself, as the template decoders' field plan does, so that {@link #reset()} would store them twice.
     */
    public Builder clearAddresses() {
      sourceFamily = NO_ADDRESS; sourceHi = 0; sourceLo = 0;
      destinationFamily = NO_ADDRESS; destinationHi = 0; destinationLo = 0;
      return this;
    }

    public boolean hasSource() { return sourceFamily != NO_ADDRESS; }
    public boolean hasDestination() { return destinationFamily != NO_ADDRESS; }

    public void sourceV4(int address) {
      sourceFamily = IPV4; sourceHi = 0; sourceLo = address & 0xFFFF_FFFFL;
    }

    public void sourceV6(long hi, long lo) {
      sourceFamily = IPV6; sourceHi = hi; sourceLo = lo;
    }

    public void destinationV4(int address) {
      destinationFamily = IPV4; destinationHi = 0; destinationLo = address & 0xFFFF_FFFFL;
    }

    public void destinationV6(long hi, long lo) {
      destinationFamily = IPV6; destinationHi = hi; destinationLo = lo;
    }

    /** Sets the source from an {@link IpAddr}; null: no source. */
    public void sourceAddress(IpAddr a) {
      sourceFamily = family(a);
      sourceHi = a == null ? 0 : a.hi();
      sourceLo = a == null ? 0 : a.lo();
    }

    /** Sets the destination from an {@link IpAddr}; null: no destination. */
    public void destinationAddress(IpAddr a) {
      destinationFamily = family(a);
      destinationHi = a == null ? 0 : a.hi();
      destinationLo = a == null ? 0 : a.lo();
    }

    private static int family(IpAddr a) {
      return a == null ? NO_ADDRESS : a.v6() ? IPV6 : IPV4;
    }

    private static IpAddr address(int family, long hi, long lo) {
      return family == NO_ADDRESS ? null : new IpAddr(hi, lo, family == IPV6);
    }

    public FlowRecord build() {
      return new FlowRecord(version, exporter, observationDomain, templateId, exportTimeMillis,
          sourceAddress(), destinationAddress(), sourcePort, destinationPort, protocol, tcpFlags, tos,
          octets, packets, reverseOctets, reversePackets, startMillis, endMillis, inputInterface,
          outputInterface, icmpType, icmpCode, samplingInterval, samplerId, flowDirection,
          biflowDirection, connectionId, firewallEvent, raw);
    }
  }
}
