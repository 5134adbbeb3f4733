package io.flowsentry.collector.event;

import java.util.Map;
import java.util.Objects;

/**
 * The one shape every source produces and every policy consumes (ARCHITECTURE.md, "The
 * connection event"). Names follow Zeek's conn.log. Unknown counters are {@code -1}; unknown
 * strings are {@code null}.
 *
 * @param tsMicros start of the connection, epoch microseconds
 * @param durationMicros duration in microseconds, -1 when unknown
 * @param origH originator address (the side that initiated)
 * @param origP originator port; for ICMP the type, as Zeek writes it
 * @param respH responder address
 * @param respP responder port; for ICMP the code, as Zeek writes it
 * @param proto IP protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6, ...)
 * @param icmpType ICMP type where the source carries it, else -1
 * @param icmpCode ICMP code where the source carries it, else -1
 * @param origPkts packets from the originator (sampling applied), -1 when unknown
 * @param origIpBytes IP-level bytes from the originator (sampling applied), -1 when unknown
 * @param respPkts packets from the responder, -1 when unknown
 * @param respIpBytes IP-level bytes from the responder, -1 when unknown
 * @param origBytes payload bytes from the originator (Zeek only), -1 when unknown
 * @param respBytes payload bytes from the responder (Zeek only), -1 when unknown
 * @param directionConfidence how the originator was decided
 * @param source which kind of source produced it
 * @param exporter exporter address (NetFlow/IPFIX) or file path (Zeek)
 * @param observationDomain observation domain id / source id; 0 for v5 and Zeek
 * @param uid Zeek uid, or null
 * @param samplingRate sampling rate applied to the counters (1 = unsampled)
 * @param connState Zeek conn_state, or null
 * @param service Zeek service, or null
 * @param raw every decoded element by IANA name when asked for (events sink {@code raw: true}), else null
 */
public record ConnectionEvent(
    long tsMicros,
    long durationMicros,
    IpAddr origH,
    int origP,
    IpAddr respH,
    int respP,
    int proto,
    int icmpType,
    int icmpCode,
    long origPkts,
    long origIpBytes,
    long respPkts,
    long respIpBytes,
    long origBytes,
    long respBytes,
    DirectionConfidence directionConfidence,
    EventSource source,
    String exporter,
    long observationDomain,
    String uid,
    int samplingRate,
    String connState,
    String service,
    Map<String, Object> raw) {

  public static final int TCP = 6;
  public static final int UDP = 17;
  public static final int ICMP = 1;
  public static final int ICMPV6 = 58;

  public ConnectionEvent {
    Objects.requireNonNull(origH, "origH");
    Objects.requireNonNull(respH, "respH");
    Objects.requireNonNull(directionConfidence, "directionConfidence");
    Objects.requireNonNull(source, "source");
  }

  public boolean isIcmp() {
    return proto == ICMP || proto == ICMPV6;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .tsMicros(tsMicros).durationMicros(durationMicros)
        .origH(origH).origP(origP).respH(respH).respP(respP)
        .proto(proto).icmpType(icmpType).icmpCode(icmpCode)
        .origPkts(origPkts).origIpBytes(origIpBytes).respPkts(respPkts).respIpBytes(respIpBytes)
        .origBytes(origBytes).respBytes(respBytes)
        .directionConfidence(directionConfidence).source(source).exporter(exporter)
        .observationDomain(observationDomain).uid(uid).samplingRate(samplingRate)
        .connState(connState).service(service).raw(raw);
  }

  /** Mutable builder for sources and tests; unknown counters default to -1. */
  public static final class Builder {
    private long tsMicros;
    private long durationMicros = -1;
    private IpAddr origH;
    private int origP;
    private IpAddr respH;
    private int respP;
    private int proto;
    private int icmpType = -1;
    private int icmpCode = -1;
    private long origPkts = -1;
    private long origIpBytes = -1;
    private long respPkts = -1;
    private long respIpBytes = -1;
    private long origBytes = -1;
    private long respBytes = -1;
    private DirectionConfidence directionConfidence = DirectionConfidence.ASSUMED;
    private EventSource source = EventSource.ZEEK;
    private String exporter;
    private long observationDomain;
    private String uid;
    private int samplingRate = 1;
    private String connState;
    private String service;
    private Map<String, Object> raw;

    public Builder tsMicros(long v) { tsMicros = v; return this; }
    public Builder durationMicros(long v) { durationMicros = v; return this; }
    public Builder origH(IpAddr v) { origH = v; return this; }
    public Builder origH(String v) { origH = IpAddr.parse(v); return this; }
    public Builder origP(int v) { origP = v; return this; }
    public Builder respH(IpAddr v) { respH = v; return this; }
    public Builder respH(String v) { respH = IpAddr.parse(v); return this; }
    public Builder respP(int v) { respP = v; return this; }
    public Builder proto(int v) { proto = v; return this; }
    public Builder icmpType(int v) { icmpType = v; return this; }
    public Builder icmpCode(int v) { icmpCode = v; return this; }
    public Builder origPkts(long v) { origPkts = v; return this; }
    public Builder origIpBytes(long v) { origIpBytes = v; return this; }
    public Builder respPkts(long v) { respPkts = v; return this; }
    public Builder respIpBytes(long v) { respIpBytes = v; return this; }
    public Builder origBytes(long v) { origBytes = v; return this; }
    public Builder respBytes(long v) { respBytes = v; return this; }
    public Builder directionConfidence(DirectionConfidence v) { directionConfidence = v; return this; }
    public Builder source(EventSource v) { source = v; return this; }
    public Builder exporter(String v) { exporter = v; return this; }
    public Builder observationDomain(long v) { observationDomain = v; return this; }
    public Builder uid(String v) { uid = v; return this; }
    public Builder samplingRate(int v) { samplingRate = v; return this; }
    public Builder connState(String v) { connState = v; return this; }
    public Builder service(String v) { service = v; return this; }
    public Builder raw(Map<String, Object> v) { raw = v; return this; }

    public ConnectionEvent build() {
      return new ConnectionEvent(tsMicros, durationMicros, origH, origP, respH, respP, proto,
          icmpType, icmpCode, origPkts, origIpBytes, respPkts, respIpBytes, origBytes, respBytes,
          directionConfidence, source, exporter, observationDomain, uid, samplingRate, connState,
          service, raw);
    }
  }
}
