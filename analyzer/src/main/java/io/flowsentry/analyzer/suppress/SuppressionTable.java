package io.flowsentry.analyzer.suppress;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The ignore list of one policy. A key is suppressed while {@code t - lastSeen < suppress_for},
 * where {@code t} is the event's own time, never earlier than the key's last sighting
 * ({@link #sightingTime}); a suppressed sighting moves lastSeen to {@code t}. Judging each key by
 * its own events' time, not by the newest timestamp of all sources, is what makes the answer
 * independent of how sources interleave: NetFlow records arrive up to a flow's length behind the
 * clock (a record is exported when its flow ends, stamped with its start), and two exporters or a
 * conn.log beside them interleave in no fixed order. The cluster's analyzers decide by the same
 * rule on their partitions (cluster/analyze/AnalyzeProcessor), so both give one answer.
 *
 * <p>An entry is kept until the event clock ({@link EventTimeTicker}) is {@link #LATE_ALLOWANCE}
 * past its window's end, so that an event up to that far behind the clock still finds its key;
 * one later than that may alarm again. At most {@code max_suppression_entries} keys are kept.
 *
 * <p>Why the bounds can only add alarms, never hide one: an event is suppressed only when its
 * key's entry is present and its window open by the rule above; expiry and size eviction only
 * ever remove entries, and a removed key makes the next event alarm again. Entries are only
 * created together with an alarm.
 */
public final class SuppressionTable {
  /**
   * How far behind the event clock an event may be and still be judged against its key's
   * entry: beyond NetFlow's usual inactive timeout (15 s) and softflowd's lateness, and beyond
   * what the generated traffic of the end-to-end tests has (flows of up to 32 s).
   */
  public static final Duration LATE_ALLOWANCE = Duration.ofSeconds(60);
  private static final long LATE_ALLOWANCE_MICROS = LATE_ALLOWANCE.toNanos() / 1000;

  /** A key with the event time of its last sighting, as saved in snapshots. */
  public record Entry(SuppressionKey key, long lastSeenMicros) {}

  /**
   * An entry's value: when its key was last seen (event time), and whether the alarm that
   * created it is durable (its lines written by the alarm writer). A snapshot taken while the
   * alarm waits in the writer queue leaves the key out: after a crash the alarm was never
   * written, and the event read again must raise it.
   */
  public static final class Sighting {
    // written only inside the cache's compute for this key, which serializes writers
    private volatile long lastSeenMicros;
    private volatile boolean durable;

    private Sighting(long lastSeenMicros) {
      this.lastSeenMicros = lastSeenMicros;
    }

    public void markDurable() {
      durable = true;
    }
  }

  /** The time a sighting at {@code atMicros} counts at: never before the key's last sighting. */
  public static long sightingTime(long atMicros, long lastSeenMicros) {
    return Math.max(atMicros, lastSeenMicros);
  }

  /** Whether a key last seen at {@code lastSeenMicros} is suppressed at {@code nowMicros} (a {@link #sightingTime}). */
  public static boolean suppresses(long lastSeenMicros, long nowMicros, long windowMicros) {
    return nowMicros - lastSeenMicros < windowMicros;
  }

  /** Whether an entry last seen at {@code lastSeenMicros} may be forgotten at event clock {@code clockMicros}. */
  public static boolean ended(long lastSeenMicros, long clockMicros, long windowMicros) {
    return clockMicros - lastSeenMicros >= windowMicros + LATE_ALLOWANCE_MICROS;
  }

  private final UntilEnded expiry = new UntilEnded();
  private final Cache<SuppressionKey, Sighting> cache;
  private final EventTimeTicker ticker;
  private volatile long windowMicros;

  public SuppressionTable(Duration suppressFor, long maxEntries, EventTimeTicker ticker) {
    this.ticker = ticker;
    this.windowMicros = suppressFor.toNanos() / 1000;
    this.cache = Caffeine.newBuilder()
        .expireAfter(expiry)
        .maximumSize(maxEntries)
        .ticker(ticker)
        // maintenance on the caller thread: no hand-off to the common pool from the event path
        .executor(Runnable::run)
        .build();
  }

  /**
   * Caffeine's expiry of an entry: when the clock reaches {@link #ended}. Every hook computes it
   * from the entry's own lastSeen, so a sighting that moved it (inside {@code compute}, whichever
   * hook Caffeine calls for that) moves the expiry with it.
   */
  private final class UntilEnded implements Expiry<SuppressionKey, Sighting> {
    private long remaining(Sighting s, long currentTimeNanos) {
      long endMicros = s.lastSeenMicros + windowMicros + LATE_ALLOWANCE_MICROS;
      // a timestamp from a broken source must not overflow Caffeine's nanoseconds
      long endNanos = endMicros > Long.MAX_VALUE / 2000 ? Long.MAX_VALUE / 2 : endMicros < Long.MIN_VALUE / 2000 ? Long.MIN_VALUE / 2 : endMicros * 1000;
      return Math.max(0, endNanos - currentTimeNanos);
    }

    @Override
    public long expireAfterCreate(SuppressionKey key, Sighting s, long currentTime) {
      return remaining(s, currentTime);
    }

    @Override
    public long expireAfterUpdate(SuppressionKey key, Sighting s, long currentTime, long currentDuration) {
      return remaining(s, currentTime);
    }

    @Override
    public long expireAfterRead(SuppressionKey key, Sighting s, long currentTime, long currentDuration) {
      return remaining(s, currentTime);
    }
  }

  /**
   * Records a sighting of {@code key} at event time {@code atMicros}. Returns true when the key
   * was not suppressed (the caller alarms); a suppressed key has its timer restarted.
   */
  public boolean firstSighting(SuppressionKey key, long atMicros) {
    return newSighting(key, atMicros) != null;
  }

  /**
   * As {@link #firstSighting}: the new entry's {@link Sighting} when the caller alarms (to be
   * marked durable once the alarm is written), null when the key is suppressed.
   */
  public Sighting newSighting(SuppressionKey key, long atMicros) {
    // compute is atomic per key, so two threads cannot both alarm; an expired entry is absent to it
    Sighting[] fresh = new Sighting[1];
    cache.asMap().compute(key, (k, old) -> {
      if (old != null) {
        long now = sightingTime(atMicros, old.lastSeenMicros);
        if (suppresses(old.lastSeenMicros, now, windowMicros)) {
          old.lastSeenMicros = now;
          return old;
        }
      }
      fresh[0] = new Sighting(old == null ? atMicros : sightingTime(atMicros, old.lastSeenMicros));
      return fresh[0];
    });
    return fresh[0];
  }

  /** Adds a key last seen at {@code lastSeenMicros}; used when restoring a snapshot. */
  void restore(SuppressionKey key, long lastSeenMicros) {
    Sighting restored = new Sighting(lastSeenMicros);
    restored.markDurable();
    cache.put(key, restored);
  }

  /**
   * When {@code key} was last seen (event time, epoch microseconds), if it is suppressed at the
   * event clock; empty otherwise. A read that changes nothing: it neither restarts the key's
   * timer nor creates an entry, so {@code /explain} may ask it from any thread while events flow
   * (Caffeine's policy view is as thread-safe as the cache).
   */
  public OptionalLong lastSeenMicros(SuppressionKey key) {
    Sighting s = cache.policy().getIfPresentQuietly(key);
    if (s == null || !suppresses(s.lastSeenMicros, ticker.nowMicros(), windowMicros)) return OptionalLong.empty();
    return OptionalLong.of(s.lastSeenMicros);
  }

  /** Live entries (those kept for late events included); runs pending expiry first, since with event time nothing expires between events. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Applies a reloaded policy's settings without dropping remembered keys. */
  public void reconfigure(Duration suppressFor, long maxEntries) {
    windowMicros = suppressFor.toNanos() / 1000;
    Policy<SuppressionKey, Sighting> policy = cache.policy();
    // each entry's expiry was computed with the old window: compute it again
    policy.expireVariably().ifPresent(v -> cache.asMap().forEach((k, s) ->
        v.setExpiresAfter(k, expiry.remaining(s, ticker.read()), TimeUnit.NANOSECONDS)));
    policy.eviction().ifPresent(e -> e.setMaximum(maxEntries));
  }

  public Duration suppressFor() {
    return Duration.ofNanos(windowMicros * 1000);
  }

  /** The live entries with their last-sighting event time. */
  public List<Entry> entries() {
    return entries(false);
  }

  /** @param durableOnly leave out keys whose alarm is not written yet (a snapshot taken while running) */
  public List<Entry> entries(boolean durableOnly) {
    cache.cleanUp();
    List<Entry> out = new ArrayList<>();
    for (var e : cache.asMap().entrySet()) {
      if (durableOnly && !e.getValue().durable) continue;
      out.add(new Entry(e.getKey(), e.getValue().lastSeenMicros));
    }
    return out;
  }
}
