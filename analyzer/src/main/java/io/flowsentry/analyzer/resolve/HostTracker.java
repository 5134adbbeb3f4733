package io.flowsentry.analyzer.resolve;

import io.flowsentry.analyzer.net.AddressMatcher;

/**
 * Gives the event path a non-blocking view of a hostname's current addresses; resolution and
 * refresh happen elsewhere.
 */
@FunctionalInterface
public interface HostTracker {
  /** A matcher that always answers from the latest published addresses of {@code hostname}. */
  AddressMatcher track(String hostname);
}
