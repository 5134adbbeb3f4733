package io.flowsentry.analyzer.suppress;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Caffeine's clock for suppression: the newest event timestamp seen so far, never going back.
 * Replaying last week's logs therefore expires entries exactly as the live run did, and an
 * event older than the clock touches its key at the current clock rather than in the past.
 *
 * <p>An event stamped more than {@link #MAX_FUTURE_MICROS} ahead of the wall clock (a broken
 * exporter clock, a corrupt log line) does not move the clock: one such event would otherwise
 * freeze suppression for good, since the clock never goes back.
 */
public final class EventTimeTicker implements Ticker {
  /** One day: beyond any exporter clock skew or time-zone mistake worth honouring. */
  public static final long MAX_FUTURE_MICROS = TimeUnit.DAYS.toMicros(1);
  private final AtomicLong newestMicros = new AtomicLong(Long.MIN_VALUE);
  private final Clock wall;

  public EventTimeTicker() {
    this(Clock.systemUTC());
  }

  public EventTimeTicker(Clock wall) {
    this.wall = wall;
  }

  /** Moves the clock to {@code tsMicros} when that is newer and plausible; returns the clock afterwards. */
  public long advanceTo(long tsMicros) {
    long current = newestMicros.get();
    // read first: most events are not newer than the clock on a busy multi-threaded path
    if (tsMicros <= current) return current;
    if (tsMicros - wall.millis() * 1000 > MAX_FUTURE_MICROS) return current == Long.MIN_VALUE ? advanceToWall() : current;
    return newestMicros.accumulateAndGet(tsMicros, Math::max);
  }

  private long advanceToWall() {
    return newestMicros.accumulateAndGet(wall.millis() * 1000, Math::max);
  }

  /** The clock in epoch microseconds, or {@link Long#MIN_VALUE} before the first event. */
  public long nowMicros() {
    return newestMicros.get();
  }

  @Override
  public long read() {
    long micros = newestMicros.get();
    if (micros == Long.MIN_VALUE) return 0;
    // saturate instead of overflowing: Caffeine must never see an exception from its clock
    return micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : micros < Long.MIN_VALUE / 1000 ? Long.MIN_VALUE : micros * 1000;
  }
}
