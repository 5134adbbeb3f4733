package io.flowsentry.collector.netflow.template;

/**
 * When an exporter was last heard and last delivered flow records: what decides which exporter
 * gives up its state when a table or budget is full. The least useful exporter is the one that
 * delivered records least recently (never counts as longest ago), and among equals the one
 * heard least recently. So a real exporter, which sends data its templates decode, outranks
 * any number of forged sources that send only templates, unmatched data sets or bare headers,
 * and a newcomer always outranks idle entries.
 *
 * <p>Two volatile writes per datagram at most, each skipped when the millisecond is unchanged.
 */
public class ExporterActivity {

  private static final long NEVER = Long.MIN_VALUE;

  private volatile long lastSeenMillis;
  private volatile long lastDeliveredMillis = NEVER;

  public ExporterActivity(long nowMillis) {
    this.lastSeenMillis = nowMillis;
  }

  public final void seen(long nowMillis) {
    if (lastSeenMillis != nowMillis) lastSeenMillis = nowMillis;
  }

  public final void delivered(long nowMillis) {
    if (lastDeliveredMillis != nowMillis) lastDeliveredMillis = nowMillis;
  }

  public final long lastSeenMillis() {
    return lastSeenMillis;
  }

  public final boolean lessUsefulThan(ExporterActivity o) {
    long d = lastDeliveredMillis, od = o.lastDeliveredMillis;
    return d != od ? d < od : lastSeenMillis < o.lastSeenMillis;
  }

  /** The least useful of {@code candidates} other than {@code except} (which may be null), or null. */
  public static <T extends ExporterActivity> T leastUseful(Iterable<T> candidates, T except) {
    T least = null;
    for (T c : candidates) {
      if (c != except && (least == null || c.lessUsefulThan(least))) least = c;
    }
    return least;
  }
}
