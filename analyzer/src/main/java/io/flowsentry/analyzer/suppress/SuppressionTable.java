package io.flowsentry.analyzer.suppress;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Policy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The ignore list of one policy: a key is present for {@code suppress_for} after its last
 * sighting (expire-after-access on the {@link EventTimeTicker}), and at most
 * {@code max_suppression_entries} keys are kept.
 *
 * <p>Why the bound can only add alarms, never hide one: an event is suppressed only when
 * Caffeine returns a live entry for its key, and Caffeine checks an entry's expiry against the
 * ticker on every read, even when its clean-up has not run yet, so an expired entry never
 * answers. Size eviction and expiry only ever remove entries; a removed key makes the next
 * event alarm again. Entries are only created together with an alarm.
 */
public final class SuppressionTable {
  /** A key with the event time of its last sighting, as saved in snapshots. */
  public record Entry(SuppressionKey key, long lastSeenMicros) {}

  /**
   * An entry's value: whether the alarm that created it is durable (its lines written by the
   * alarm writer). A snapshot taken while the alarm waits in the writer queue leaves the key out:
   * after a crash the alarm was never written, and the event read again must raise it.
   */
  public static final class Sighting {
    private volatile boolean durable;

    public void markDurable() {
      durable = true;
    }
  }

  private final Cache<SuppressionKey, Sighting> cache;
  private final EventTimeTicker ticker;

  public SuppressionTable(Duration suppressFor, long maxEntries, EventTimeTicker ticker) {
    this.ticker = ticker;
    this.cache = Caffeine.newBuilder()
        .expireAfterAccess(suppressFor)
        .maximumSize(maxEntries)
        .ticker(ticker)
        // maintenance on the caller thread: no hand-off to the common pool from the event path
        .executor(Runnable::run)
        .build();
  }

  /**
   * Records a sighting of {@code key} at the current event time. Returns true when the key was
   * not suppressed (the caller alarms); a suppressed key has its timer restarted.
   */
  public boolean firstSighting(SuppressionKey key) {
    return newSighting(key) != null;
  }

  /**
   * As {@link #firstSighting}: the new entry's {@link Sighting} when the caller alarms (to be
   * marked durable once the alarm is written), null when the key is suppressed.
   */
  public Sighting newSighting(SuppressionKey key) {
    // the identity of the value tells whether this call inserted it (atomically, so two threads
    // cannot both alarm); a hit is a read, which restarts expire-after-access
    Sighting fresh = new Sighting();
    return cache.get(key, k -> fresh) == fresh ? fresh : null;
  }

  /** Adds a key as last seen now (the ticker's current time); used when restoring a snapshot. */
  void restore(SuppressionKey key) {
    Sighting restored = new Sighting();
    restored.markDurable();
    cache.put(key, restored);
  }

  /**
   * When {@code key} was last seen (event time, epoch microseconds), if it is suppressed now;
   * empty otherwise. A read that changes nothing: it neither restarts the key's timer nor
   * creates an entry, so {@code /explain} may ask it from any thread while events flow
   * (Caffeine's policy view is as thread-safe as the cache).
   */
  public OptionalLong lastSeenMicros(SuppressionKey key) {
    var policy = cache.policy();
    if (policy.getIfPresentQuietly(key) == null) return OptionalLong.empty();
    OptionalLong age = policy.expireAfterAccess().orElseThrow().ageOf(key, TimeUnit.NANOSECONDS);
    if (age.isEmpty()) return OptionalLong.empty();
    return OptionalLong.of((ticker.read() - age.getAsLong()) / 1000);
  }

  /** Live entries; runs pending expiry first, since with event time nothing expires between events. */
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /** Applies a reloaded policy's settings without dropping remembered keys. */
  public void reconfigure(Duration suppressFor, long maxEntries) {
    Policy<SuppressionKey, Sighting> policy = cache.policy();
    policy.expireAfterAccess().ifPresent(e -> e.setExpiresAfter(suppressFor));
    policy.eviction().ifPresent(e -> e.setMaximum(maxEntries));
  }

  public Duration suppressFor() {
    return cache.policy().expireAfterAccess().orElseThrow().getExpiresAfter();
  }

  /** The live entries with their last-sighting event time. */
  public List<Entry> entries() {
    return entries(false);
  }

  /** @param durableOnly leave out keys whose alarm is not written yet (a snapshot taken while running) */
  public List<Entry> entries(boolean durableOnly) {
    cache.cleanUp();
    long nowNanos = ticker.read();
    var expiry = cache.policy().expireAfterAccess().orElseThrow();
    List<Entry> out = new ArrayList<>();
    for (var e : cache.asMap().entrySet()) {
      if (durableOnly && !e.getValue().durable) continue;
      OptionalLong age = expiry.ageOf(e.getKey(), TimeUnit.NANOSECONDS);
      if (age.isPresent()) out.add(new Entry(e.getKey(), (nowNanos - age.getAsLong()) / 1000));
    }
    return out;
  }
}
