package io.flowsentry.cluster.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.flowsentry.collector.event.CommunityId;
import io.flowsentry.collector.event.IpAddr;

/**
 * {@link io.flowsentry.collector.event.ConnectionEvent} to and from its wire form
 * ({@code flowsentry.events.v1.ConnectionEvent}). Every field crosses except {@code raw} (the
 * decoded elements by IANA name, which only a collector's own events sink writes).
 */
public final class EventCodec {
  private final CommunityId communityId;

  /** @param communityId the collector's {@code site.community_id_seed}, for the record's community_id */
  public EventCodec(CommunityId communityId) {
    this.communityId = communityId;
  }

  public byte[] encode(io.flowsentry.collector.event.ConnectionEvent e) {
    return toWire(e).toByteArray();
  }

  public ConnectionEvent toWire(io.flowsentry.collector.event.ConnectionEvent e) {
    ConnectionEvent.Builder b = ConnectionEvent.newBuilder()
        .setTsMicros(e.tsMicros()).setDurationMicros(e.durationMicros())
        .setOrigH(address(e.origH())).setOrigP(e.origP())
        .setRespH(address(e.respH())).setRespP(e.respP())
        .setProto(e.proto()).setIcmpType(e.icmpType()).setIcmpCode(e.icmpCode())
        .setOrigPkts(e.origPkts()).setOrigIpBytes(e.origIpBytes())
        .setRespPkts(e.respPkts()).setRespIpBytes(e.respIpBytes())
        .setOrigBytes(e.origBytes()).setRespBytes(e.respBytes())
        .setDirectionConfidence(direction(e.directionConfidence()))
        .setSource(source(e.source()))
        .setObservationDomain(e.observationDomain())
        .setSamplingRate(e.samplingRate());
    if (e.exporter() != null) b.setExporter(e.exporter());
    if (e.uid() != null) b.setUid(e.uid());
    if (e.connState() != null) b.setConnState(e.connState());
    if (e.service() != null) b.setService(e.service());
    if (e.proto() >= 0) b.setCommunityId(communityId.of(e));
    return b.build();
  }

  /**
   * @throws MalformedRecordException when the bytes are not a v1 event or break its rules (an
   *     address of another length than 4 or 16, an unknown enum value)
   */
  public static io.flowsentry.collector.event.ConnectionEvent decode(byte[] bytes) throws MalformedRecordException {
    try {
      return fromWire(ConnectionEvent.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRecordException("not a flowsentry.events.v1.ConnectionEvent: " + e.getMessage());
    }
  }

  public static io.flowsentry.collector.event.ConnectionEvent fromWire(ConnectionEvent w) throws MalformedRecordException {
    return io.flowsentry.collector.event.ConnectionEvent.builder()
        .tsMicros(w.getTsMicros()).durationMicros(w.getDurationMicros())
        .origH(address(w.getOrigH(), "orig_h")).origP(port(w.getOrigP(), "orig_p"))
        .respH(address(w.getRespH(), "resp_h")).respP(port(w.getRespP(), "resp_p"))
        .proto(bounded(w.getProto(), 255, "proto")).icmpType(w.getIcmpType()).icmpCode(w.getIcmpCode())
        .origPkts(w.getOrigPkts()).origIpBytes(w.getOrigIpBytes())
        .respPkts(w.getRespPkts()).respIpBytes(w.getRespIpBytes())
        .origBytes(w.getOrigBytes()).respBytes(w.getRespBytes())
        .directionConfidence(direction(w.getDirectionConfidence()))
        .source(source(w.getSource()))
        .exporter(w.hasExporter() ? w.getExporter() : null)
        .observationDomain(w.getObservationDomain())
        .uid(w.hasUid() ? w.getUid() : null)
        .samplingRate(w.getSamplingRate() < 1 ? 1 : w.getSamplingRate())
        .connState(w.hasConnState() ? w.getConnState() : null)
        .service(w.hasService() ? w.getService() : null)
        .build();
  }

  static ByteString address(IpAddr a) {
    return ByteString.copyFrom(a.toBytes());
  }

  static IpAddr address(ByteString b, String field) throws MalformedRecordException {
    if (b.size() != 4 && b.size() != 16) {
      throw new MalformedRecordException(field + ": " + b.size() + " bytes (expected: 4 or 16)");
    }
    return IpAddr.of(b.toByteArray());
  }

  private static int port(int value, String field) throws MalformedRecordException {
    return bounded(value, 65535, field);
  }

  private static int bounded(int value, int max, String field) throws MalformedRecordException {
    // uint32 arrives in a Java int: compare unsigned
    if (Integer.compareUnsigned(value, max) > 0) {
      throw new MalformedRecordException(field + ": " + Integer.toUnsignedString(value) + " (expected: 0.." + max + ")");
    }
    return value;
  }

  static DirectionConfidence direction(io.flowsentry.collector.event.DirectionConfidence d) {
    return switch (d) {
      case EXPORTER -> DirectionConfidence.DIRECTION_CONFIDENCE_EXPORTER;
      case REVERSE_SEEN -> DirectionConfidence.DIRECTION_CONFIDENCE_REVERSE_SEEN;
      case PORT_HEURISTIC -> DirectionConfidence.DIRECTION_CONFIDENCE_PORT_HEURISTIC;
      case ASSUMED -> DirectionConfidence.DIRECTION_CONFIDENCE_ASSUMED;
    };
  }

  static io.flowsentry.collector.event.DirectionConfidence direction(DirectionConfidence d) throws MalformedRecordException {
    return switch (d) {
      case DIRECTION_CONFIDENCE_EXPORTER -> io.flowsentry.collector.event.DirectionConfidence.EXPORTER;
      case DIRECTION_CONFIDENCE_REVERSE_SEEN -> io.flowsentry.collector.event.DirectionConfidence.REVERSE_SEEN;
      case DIRECTION_CONFIDENCE_PORT_HEURISTIC -> io.flowsentry.collector.event.DirectionConfidence.PORT_HEURISTIC;
      case DIRECTION_CONFIDENCE_ASSUMED -> io.flowsentry.collector.event.DirectionConfidence.ASSUMED;
      case DIRECTION_CONFIDENCE_UNSPECIFIED, UNRECOGNIZED ->
          throw new MalformedRecordException("direction_confidence: " + d + " (expected: exporter, reverse-seen, port-heuristic or assumed)");
    };
  }

  static Source source(io.flowsentry.collector.event.EventSource s) {
    return switch (s) {
      case NETFLOW5 -> Source.SOURCE_NETFLOW5;
      case NETFLOW9 -> Source.SOURCE_NETFLOW9;
      case IPFIX -> Source.SOURCE_IPFIX;
      case SFLOW -> Source.SOURCE_SFLOW;
      case ZEEK -> Source.SOURCE_ZEEK;
    };
  }

  static io.flowsentry.collector.event.EventSource source(Source s) throws MalformedRecordException {
    return switch (s) {
      case SOURCE_NETFLOW5 -> io.flowsentry.collector.event.EventSource.NETFLOW5;
      case SOURCE_NETFLOW9 -> io.flowsentry.collector.event.EventSource.NETFLOW9;
      case SOURCE_IPFIX -> io.flowsentry.collector.event.EventSource.IPFIX;
      case SOURCE_SFLOW -> io.flowsentry.collector.event.EventSource.SFLOW;
      case SOURCE_ZEEK -> io.flowsentry.collector.event.EventSource.ZEEK;
      case SOURCE_UNSPECIFIED, UNRECOGNIZED ->
          throw new MalformedRecordException("source: " + s + " (expected: netflow5, netflow9, ipfix, sflow or zeek)");
    };
  }
}
