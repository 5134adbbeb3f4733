package io.flowsentry.analyzer.resolve;

import io.flowsentry.analyzer.net.AddressMatcher;
import io.flowsentry.analyzer.net.PrefixSet;
import io.flowsentry.collector.event.IpAddr;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One hostname's addresses as the event path sees them: an immutable {@link PrefixSet} behind a
 * volatile field, replaced whole by the refresher, so a lookup never sees half an update and
 * never waits. The bookkeeping (when each address was last seen, when to ask again) belongs to
 * the refresher thread alone.
 */
public final class ResolvedHost implements AddressMatcher {
  private final String hostname;
  private volatile PrefixSet addresses = PrefixSet.empty();
  // refresher-owned
  private final Map<IpAddr, Instant> lastSeen = new HashMap<>();
  private Instant nextRefresh = Instant.MIN;
  private boolean failing;

  ResolvedHost(String hostname) {
    this.hostname = hostname;
  }

  @Override
  public boolean contains(IpAddr address) {
    return addresses.contains(address);
  }

  public String hostname() {
    return hostname;
  }

  /** The addresses currently allowed for this name. */
  public PrefixSet addresses() {
    return addresses;
  }

  Instant nextRefresh() {
    return nextRefresh;
  }

  /**
   * Takes a successful answer: every answered address is seen now; addresses not seen for
   * {@code keepSeenFor} are forgotten (CDNs rotate through more addresses than one answer shows).
   */
  void answered(Iterable<IpAddr> answer, Instant now, Duration keepSeenFor, Duration nextIn) {
    for (IpAddr a : answer) lastSeen.put(a, now);
    Instant horizon = now.minus(keepSeenFor);
    lastSeen.values().removeIf(seen -> seen.isBefore(horizon));
    addresses = PrefixSet.ofAddresses(lastSeen.keySet());
    nextRefresh = now.plus(nextIn);
    failing = false;
  }

  /** Keeps the last known addresses; returns true when this starts a run of failures (log once). */
  boolean failed(Instant now, Duration retryIn) {
    nextRefresh = now.plus(retryIn);
    boolean first = !failing;
    failing = true;
    return first;
  }

  @Override
  public String toString() {
    return hostname + addresses;
  }
}
