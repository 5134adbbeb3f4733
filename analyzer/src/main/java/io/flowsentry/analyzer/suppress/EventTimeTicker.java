package io.flowsentry.analyzer.suppress;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caffeine's clock for suppression: the newest event timestamp seen so far, never going back.
 * Replaying last week's logs therefore expires entries exactly as the live run did, and an
 * event older than the clock touches its key at the current clock rather than in the past.
 */
public final class EventTimeTicker implements Ticker {
  private final AtomicLong newestMicros = new AtomicLong(Long.MIN_VALUE);

  /** Moves the clock to {@code tsMicros} when that is newer; returns the clock afterwards. */
  public long advanceTo(long tsMicros) {
    long current = newestMicros.get();
    // read first: most events are not newer than the clock on a busy multi-threaded path
    return tsMicros > current ? newestMicros.accumulateAndGet(tsMicros, Math::max) : current;
  }

  /** The clock in epoch microseconds, or {@link Long#MIN_VALUE} before the first event. */
  public long nowMicros() {
    return newestMicros.get();
  }

  @Override
  public long read() {
    long micros = newestMicros.get();
    return micros == Long.MIN_VALUE ? 0 : Math.multiplyExact(micros, 1000L);
  }
}
