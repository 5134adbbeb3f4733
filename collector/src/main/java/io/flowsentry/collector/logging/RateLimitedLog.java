package io.flowsentry.collector.logging;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lets one log line per slot (e.g. per protocol and reason) through per interval and counts the
 * ones it held back, so a flood of bad datagrams costs a counter increment, not a log line each.
 * The slots are fixed at construction, so memory is bounded whatever the input.
 */
public final class RateLimitedLog {

  private final InstantSource clock;
  private final long intervalMillis;
  private final AtomicLongArray nextAllowed;
  private final AtomicLongArray suppressed;

  /** @param clock a {@link java.time.Clock} in production; any time source in tests */
  public RateLimitedLog(InstantSource clock, Duration interval, int slots) {
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    this.nextAllowed = new AtomicLongArray(slots);
    this.suppressed = new AtomicLongArray(slots);
  }

  /**
   * Whether a line for {@code slot} may be logged now. Returns -1 when not (the line is counted
   * as suppressed), else how many lines were suppressed since the last one that was logged.
   */
  public long permit(int slot) {
    long now = clock.millis();
    long next = nextAllowed.get(slot);
    if (now < next || !nextAllowed.compareAndSet(slot, next, now + intervalMillis)) {
      suppressed.incrementAndGet(slot);
      return -1;
    }
    return suppressed.getAndSet(slot, 0);
  }
}
