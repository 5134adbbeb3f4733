package io.flowsentry.collector.normalize;

import io.flowsentry.collector.event.ConnectionEvent;
import io.flowsentry.collector.event.EventSource;
import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.FlowFields;
import io.flowsentry.collector.netflow.ExportProtocol;
import io.flowsentry.collector.netflow.FlowRecord;

/**
 * Turns one decoded {@link FlowRecord} into a {@link ConnectionEvent} (ARCHITECTURE.md, "The
 * connection event"): absolute times in microseconds, counters scaled by the sampling interval,
 * ICMP type/code, the originator decision ({@link OriginatorDecision}) and the source fields.
 * Thread-safe; the only state is the bounded {@link ReverseFlowCache}.
 *
 * <p>Conventions, with their reasons:
 * <ul>
 *   <li>{@code ts} is the flow start; without one, the flow end, then the export time: a
 *       record always has a time, and policies and suppression run on event time.</li>
 *   <li>{@code duration} is end − start when both are known and in order, else -1 (unknown).</li>
 *   <li>A sampling interval of 0 or 1 means unsampled. Scaled counters saturate at
 *       {@link Long#MAX_VALUE} instead of wrapping.</li>
 *   <li>ICMP type/code come from the record's explicit fields, else from the destination port
 *       as {@code type * 256 + code} (NetFlow v5 and softflowd/nfdump convention). As Zeek
 *       writes ICMP, {@code orig_p} is the type and {@code resp_p} the code.</li>
 *   <li>Forward counters belong to the flow's source. When the destination is judged the
 *       originator, forward counters go to the responder side and the reverse counters (biflow,
 *       NSEL responder) to the originator side; a one-way reply has unknown (-1) originator
 *       counters.</li>
 *   <li>A record without a source or destination address (layer-2 or options-like records)
 *       gets the unspecified address 0.0.0.0 on that side.</li>
 * </ul>
 */
public final class FlowNormalizer {

  private static final IpAddr UNSPECIFIED = IpAddr.ofV4(0);

  private final OriginatorDecision originator;

  public FlowNormalizer(OriginatorDecision originator) {
    this.originator = originator;
  }

  /** A normalizer with its own {@link ReverseFlowCache} of default size and window. */
  public static FlowNormalizer withDefaults() {
    return new FlowNormalizer(new OriginatorDecision(ReverseFlowCache.withDefaults()));
  }

  public ConnectionEvent normalize(FlowRecord r) {
    return normalize(r, r.exporter() == null ? null : r.exporter().toString());
  }

  /** @param exporterText the exporter as the event should name it (callers that cache it save a format per record) */
  public ConnectionEvent normalize(FlowRecord r, String exporterText) {
    long start = r.startMillis(), end = r.endMillis();
    long flowMillis = flowMillis(r);
    long duration = start >= 0 && end >= start ? (end - start) * 1000 : -1;

    int proto = r.protocol();
    boolean icmp = isIcmp(proto);
    int icmpType = icmpType(r);
    int icmpCode = icmpType < 0 ? -1 : r.icmpType() >= 0 ? Math.max(r.icmpCode(), 0) : r.destinationPort() & 0xFF;

    long rate = r.samplingInterval() > 1 ? r.samplingInterval() : 1;
    long pkts = scale(r.packets(), rate), bytes = scale(r.octets(), rate);
    long rpkts = scale(r.reversePackets(), rate), rbytes = scale(r.reverseOctets(), rate);

    IpAddr src = sourceAddress(r), dst = destinationAddress(r);
    int sp = icmp ? icmpType : r.sourcePort(), dp = icmp ? icmpCode : r.destinationPort();
    if (sp < 0) sp = 0;
    if (dp < 0) dp = 0;

    OriginatorDecision.Decision d = originator.decide(r, src, dst, icmpType, flowMillis);
    // the canonical constructor, not the builder: this runs for every record, and the builder
    // was not scalar-replaced here (a profile showed it as one of the largest allocations)
    long tsMicros = flowMillis * 1000;
    int samplingRate = (int) Math.min(rate, Integer.MAX_VALUE);
    EventSource source = eventSource(r.version());
    if (d.swap()) {
      return new ConnectionEvent(tsMicros, duration, dst, icmp ? sp : dp, src, icmp ? dp : sp, proto, icmpType, icmpCode,
          rpkts, rbytes, pkts, bytes, -1, -1, d.confidence(), source, exporterText, r.observationDomain(), null,
          samplingRate, null, null, r.raw());
    }
    return new ConnectionEvent(tsMicros, duration, src, sp, dst, dp, proto, icmpType, icmpCode,
        pkts, bytes, rpkts, rbytes, -1, -1, d.confidence(), source, exporterText, r.observationDomain(), null,
        samplingRate, null, null, r.raw());
  }

  /**
   * The time {@link #normalize} would give the event of a record that will not become one, in
   * epoch microseconds. Such a record skips the originator decision too: a handler's
   * {@code wants} holds for both orientations, so the reply of an unwanted flow is unwanted as
   * well, and nothing would ever look its conversation up in the reverse-flow memory.
   */
  public static long eventTimeMicros(FlowFields r) {
    return flowMillis(r) * 1000;
  }

  private static boolean isIcmp(int proto) {
    return proto == ConnectionEvent.ICMP || proto == ConnectionEvent.ICMPV6;
  }

  /** The explicit ICMP type, else the one in the destination port's high byte; -1 when not ICMP or unknown. */
  private static int icmpType(FlowFields r) {
    if (!isIcmp(r.protocol())) return -1;
    if (r.icmpType() >= 0) return r.icmpType();
    return r.destinationPort() >= 0 ? r.destinationPort() >>> 8 : -1;
  }

  /** The record's source address as the event names it (the unspecified address when it has none). */
  public static IpAddr sourceAddress(FlowFields r) {
    return r.sourceAddress() == null ? UNSPECIFIED : r.sourceAddress();
  }

  /** The record's destination address as the event names it (the unspecified address when it has none). */
  public static IpAddr destinationAddress(FlowFields r) {
    return r.destinationAddress() == null ? UNSPECIFIED : r.destinationAddress();
  }

  private static long flowMillis(FlowFields r) {
    long start = r.startMillis(), end = r.endMillis();
    return start >= 0 ? start : end >= 0 ? end : Math.max(r.exportTimeMillis(), 0);
  }

  /** The event source for an export version (5, 9, {@link ExportProtocol#SFLOW_VERSION}; anything else is IPFIX). */
  public static EventSource eventSource(int version) {
    return switch (version) {
      case 5 -> EventSource.NETFLOW5;
      case 9 -> EventSource.NETFLOW9;
      case ExportProtocol.SFLOW_VERSION -> EventSource.SFLOW;
      default -> EventSource.IPFIX;
    };
  }

  /** counter × rate, -1 (unknown) stays -1, saturating instead of wrapping. */
  static long scale(long counter, long rate) {
    if (counter < 0 || rate == 1) return counter;
    long hi = Math.multiplyHigh(counter, rate);
    long lo = counter * rate;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }
}
