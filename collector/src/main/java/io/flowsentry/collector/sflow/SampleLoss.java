package io.flowsentry.collector.sflow;

import io.flowsentry.collector.event.IpAddr;
import java.util.HashMap;
import java.util.Map;

/**
 * Loss of flow samples per data source of one exporter, from what each flow sample carries
 * (sflow_version_5.txt): its sample sequence number, which the agent advances by one per sample
 * of that source, so a gap is samples sent and not received; and its drops counter, which counts
 * samples the agent could not make for lack of resources. Both are unsigned 32-bit and wrap.
 *
 * <p>A step back (a late sample, or an agent that restarted) starts the source afresh without
 * counting; so does a drops counter that went back. At most {@link #MAX_SOURCES} sources are
 * followed per exporter (a large switch has a few hundred ports); samples of others are not
 * loss-accounted. Thread-safe (one uncontended lock per sample).
 */
public final class SampleLoss {

  /** Data sources followed per exporter: each entry is about 100 bytes. */
  public static final int MAX_SOURCES = 1024;
  /** A step back by more than this many samples is an agent restart, not reordering. */
  private static final long REORDER_SAMPLES = 64;
  private static final long HALF_RANGE = 1L << 31;

  /** Where the loss goes: samples missing from the sequence, and samples the agent reports it dropped. */
  public interface Sink {
    void lost(long samples);

    void dropped(long samples);
  }

  private record Source(IpAddr agent, long subAgent, int type, long index) {}

  private static final class Last {
    long sequence;
    long drops;
  }

  private final Map<Source, Last> sources = new HashMap<>();

  /** Accounts one flow sample of source {@code type:index} of {@code agent}/{@code subAgent}. */
  public synchronized void observe(IpAddr agent, long subAgent, FlowSample s, Sink sink) {
    Source key = new Source(agent, subAgent, s.sourceIdType(), s.sourceIdIndex());
    Last last = sources.get(key);
    if (last == null) {
      if (sources.size() >= MAX_SOURCES) return;
      last = new Last();
      last.sequence = s.sequence();
      last.drops = s.drops();
      sources.put(key, last);
      return;
    }
    long step = (s.sequence() - last.sequence) & 0xFFFF_FFFFL;
    if (step == 0) return; // a repeat
    if (step >= HALF_RANGE) {
      // behind: a late sample (the expectation does not move back) or, far behind, a restart
      if (step < (1L << 32) - REORDER_SAMPLES) reset(last, s);
      return;
    }
    if (step > 1) sink.lost(step - 1);
    long dropped = (s.drops() - last.drops) & 0xFFFF_FFFFL;
    if (dropped > 0 && dropped < HALF_RANGE) sink.dropped(dropped); // else the counter went back: restart
    last.sequence = s.sequence();
    last.drops = s.drops();
  }

  private static void reset(Last last, FlowSample s) {
    last.sequence = s.sequence();
    last.drops = s.drops();
  }

  /** Sources followed now. */
  public synchronized int size() {
    return sources.size();
  }
}
