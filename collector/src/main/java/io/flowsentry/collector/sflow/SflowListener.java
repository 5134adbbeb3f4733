package io.flowsentry.collector.sflow;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.FlowRecord;

/**
 * What the pure {@link SflowDecoder} reports to while it walks one datagram, in wire order. The
 * decoder never throws for bad input: it reports an error and resumes at the next sample or
 * record its container's length allows, so good samples in the same datagram still come out.
 */
public interface SflowListener {

  /** The datagram header, once, before any sample. */
  void datagram(SflowDatagram header);

  /** A flow sample's header, before the packet it sampled ({@link #decoded}), if any. */
  void flowSample(FlowSample sample);

  /**
   * The sampled packet of the flow sample just reported, when its records named one (IPv4 or
   * IPv6): lent, valid only during this call, as {@link io.flowsentry.collector.netflow.DecodeListener#decoded}.
   */
  void decoded(FlowRecord.Builder packet);

  void counterSample(CounterSample sample);

  void discardSample(DiscardSample sample);

  /** A sample of a format this decoder does not know (an enterprise's own, or a newer one), skipped by its length. */
  void unknownSample(int enterprise, int format);

  /** Flow or counter records of formats this decoder does not read, skipped by their length (once per sample). */
  void recordsSkipped(int count);

  /** Bad input, counted per reason; {@code detail} says where, e.g. "sample 2 at offset 120: length 900 (…)". */
  void error(DecodeError reason, String detail);
}
