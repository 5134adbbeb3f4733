package io.flowsentry.collector.netflow;

/**
 * Sequence-number tracking for one (exporter, version, observation domain). Each version counts
 * in its own unit — v5 flow_sequence counts flows, v9 counts export packets, IPFIX counts data
 * records — so the caller says how many units each message advances the sequence by.
 *
 * <p>Sequence numbers are unsigned 32-bit and wrap; distances are taken modulo 2^32 as signed
 * numbers, so a wrap is an ordinary step. Outcomes:
 * <ul>
 *   <li>{@link Outcome#IN_ORDER}: the expected number.</li>
 *   <li>{@link Outcome#GAP}: ahead of the expected number — messages were lost.</li>
 *   <li>{@link Outcome#REORDERED}: a little behind (at most {@link #REORDER_MESSAGES} messages'
 *       worth): a late message, not a gap; the expectation does not move back.</li>
 *   <li>{@link Outcome#RESTART}: far behind, or the exporter's sysUptime went back by more than
 *       {@link #UPTIME_RESTART_MILLIS}: the exporter restarted; tracking starts over without
 *       counting a gap.</li>
 * </ul>
 * Thread-safe (one uncontended lock per message): with SO_REUSEPORT one exporter normally lands
 * on one event loop, but nothing guarantees it.
 */
public final class SequenceTracker {

  public enum Outcome { FIRST, IN_ORDER, GAP, REORDERED, RESTART }

  /** How many messages a late message may be behind and still count as reordered. */
  public static final int REORDER_MESSAGES = 64;
  /** A sysUptime step back by more than this is a reboot, not reordering. */
  public static final long UPTIME_RESTART_MILLIS = 60_000;

  private boolean started;
  private long expected;
  private long lastUptime = -1;
  private long lastMissing;

  /**
   * @param sequence the message's sequence number (unsigned 32-bit)
   * @param units how far this message advances the sequence (v5 flows, v9 1, IPFIX data records);
   *     negative when unknown (data held for a missing template)
   * @param sysUptimeMillis the header's sysUptime (unsigned 32-bit), or -1 when the version has none (IPFIX)
   */
  public synchronized Outcome observe(long sequence, long units, long sysUptimeMillis) {
    if (units < 0) {
      // data held for a missing template: its record count, and so the next expected IPFIX
      // sequence number, is unknown; the next message starts counting afresh instead of
      // reporting a gap that did not happen
      started = false;
      return Outcome.FIRST;
    }
    Outcome outcome;
    int distance = (int) (sequence - expected);
    if (!started) {
      outcome = Outcome.FIRST;
    } else if (sysUptimeMillis >= 0 && lastUptime >= 0
        && (int) (lastUptime - sysUptimeMillis) > UPTIME_RESTART_MILLIS) {
      outcome = Outcome.RESTART;
    } else if (distance == 0) {
      outcome = Outcome.IN_ORDER;
    } else if (distance > 0) {
      outcome = Outcome.GAP;
      lastMissing = distance;
    } else if (-(long) distance <= REORDER_MESSAGES * Math.max(1, units)) {
      return Outcome.REORDERED;
    } else {
      outcome = Outcome.RESTART;
    }
    started = true;
    expected = (sequence + units) & 0xFFFF_FFFFL;
    lastUptime = sysUptimeMillis;
    return outcome;
  }

  /** Units missing at the last {@link Outcome#GAP}. */
  public synchronized long lastMissing() {
    return lastMissing;
  }
}
