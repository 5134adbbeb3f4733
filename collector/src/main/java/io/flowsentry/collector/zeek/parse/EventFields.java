package io.flowsentry.collector.zeek.parse;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.DirectionConfidence;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import java.util.Map;

/**
 * The conn.log values of one line as the TSV and JSON parsers collect them (in any column
 * order), and the one place that turns them into an event. Reused line after line.
 */
final class EventFields {
  static final long ABSENT = -1;

  long tsMicros;
  boolean tsSeen;
  String uid;
  IpAddr origH;
  IpAddr respH;
  int origP;
  int respP;
  /** From {@code proto} with "icmp" read as 1; turned into 58 for IPv6 in {@link #toOutcome}. */
  int proto;
  /** From {@code ip_proto} (Zeek 7.1+), which wins over {@code proto} when present. */
  int ipProto;
  String service;
  long durationMicros;
  long origBytes;
  long respBytes;
  String connState;
  long origPkts;
  long origIpBytes;
  long respPkts;
  long respIpBytes;
  Map<String, Object> raw;

  void reset() {
    tsMicros = 0;
    tsSeen = false;
    uid = null;
    origH = null;
    respH = null;
    origP = 0;
    respP = 0;
    proto = -1;
    ipProto = -1;
    service = null;
    durationMicros = ABSENT;
    origBytes = ABSENT;
    respBytes = ABSENT;
    connState = null;
    origPkts = ABSENT;
    origIpBytes = ABSENT;
    respPkts = ABSENT;
    respIpBytes = ABSENT;
    raw = null;
  }

  LineOutcome toOutcome(String exporter) {
    if (!tsSeen) return LineOutcome.bad(BadLineReason.MISSING_FIELD, "no ts");
    if (origH == null) return LineOutcome.bad(BadLineReason.MISSING_FIELD, "no id.orig_h");
    if (respH == null) return LineOutcome.bad(BadLineReason.MISSING_FIELD, "no id.resp_h");
    int number = ipProto >= 0 ? ipProto : proto == ConnectionEvent.ICMP && origH.v6() ? ConnectionEvent.ICMPV6 : proto;
    boolean icmp = number == ConnectionEvent.ICMP || number == ConnectionEvent.ICMPV6;
    return new LineOutcome.Event(new ConnectionEvent(tsMicros, durationMicros, origH, origP, respH, respP,
        number, icmp ? origP : -1, icmp ? respP : -1, origPkts, origIpBytes, respPkts, respIpBytes,
        origBytes, respBytes, DirectionConfidence.EXPORTER, EventSource.ZEEK, exporter, 0, uid, 1,
        connState, service, raw));
  }
}
