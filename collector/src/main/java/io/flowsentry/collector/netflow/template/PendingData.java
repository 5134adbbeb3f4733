package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Data sets that arrived before their template (common right after a collector or exporter
 * restart: exporters re-send templates only every few minutes). Held per exporter, bounded by
 * set count, heap bytes (the data plus {@link #OVERHEAD_BYTES} of bookkeeping per set, charged
 * to the store's {@link MemoryBudget} too) and age; whatever is dropped for a bound or for age is
 * reported as {@link DecodeError#PENDING_EXPIRED}. Sets are decoded when their template arrives.
 */
public final class PendingData {

  /**
   * Heap a held set costs besides its data: the record, its key, up to two queue slots (the
   * deque doubles), and 96 bytes ZGC was measured to take beyond that layout arithmetic.
   */
  public static final int OVERHEAD_BYTES = Footprint.align(Footprint.HEADER + 2 * Footprint.REFERENCE + 4 + 3 * 8)
      + Footprint.align(Footprint.HEADER + 4 + 4 + 8 + 4 + Footprint.REFERENCE) + 2 * Footprint.REFERENCE + 96;

  private final int maxSets;
  private final int maxBytes;
  private final long timeoutMillis;
  private final MemoryBudget budget;
  private final ConcurrentHashMap<ExporterId, Queue> queues = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Held sets of one exporter, oldest first; guarded by itself. */
  private static final class Queue {
    final ArrayDeque<PendingSet> sets = new ArrayDeque<>();
    long bytes;
  }

  /**
   * @param maxBytesPerExporter heap bytes, {@link #cost} per set
   * @param budget charged for every held set, released when it goes
   */
  PendingData(int maxSetsPerExporter, int maxBytesPerExporter, long timeoutMillis, MemoryBudget budget) {
    this.maxSets = maxSetsPerExporter;
    this.maxBytes = maxBytesPerExporter;
    this.timeoutMillis = timeoutMillis;
    this.budget = budget;
  }

  /** Heap bytes holding {@code set} takes. */
  public static int cost(PendingSet set) {
    return Footprint.array(1, set.data().length) + OVERHEAD_BYTES;
  }

  /**
   * Holds {@code set}, first dropping the oldest sets of its exporter as the per-exporter
   * bounds require. {@code reserve} charges the state budget (called without any lock held: it
   * may forget other exporters to make room); when it refuses, the set is dropped and reported.
   */
  void hold(PendingSet set, DecodeListener listener, LongPredicate reserve) {
    int cost = cost(set);
    if (cost > maxBytes) {
      listener.error(DecodeError.PENDING_EXPIRED, set.key() + ": " + set.data().length
          + " bytes waiting for the template (expected: at most " + maxBytes + " held per exporter)");
      return;
    }
    if (!reserve.test(cost)) {
      listener.error(DecodeError.STATE_BUDGET, set.key() + ": data set not held, limits.max_state_bytes is used by"
          + " exporters that delivered records more recently");
      return;
    }
    Queue q = queues.computeIfAbsent(set.key().exporter(), e -> new Queue());
    synchronized (q) {
      while (!q.sets.isEmpty() && (q.sets.size() >= maxSets || q.bytes + cost > maxBytes)) {
        PendingSet dropped = q.sets.removeFirst();
        removed(q, dropped);
        listener.error(DecodeError.PENDING_EXPIRED, dropped.key() + ": held data dropped for the "
            + "pending bound (" + maxSets + " sets, " + maxBytes + " bytes per exporter)");
      }
      q.sets.addLast(set);
      q.bytes += cost;
      total.incrementAndGet();
    }
  }

  /**
   * Removes and returns the sets of protocol {@code version} waiting for {@code key}, oldest
   * first; expired ones are reported, not returned.
   */
  public List<PendingSet> take(TemplateKey key, int version, long nowMillis, DecodeListener listener) {
    if (total.get() == 0) return List.of();
    Queue q = queues.get(key.exporter());
    if (q == null) return List.of();
    List<PendingSet> taken = new ArrayList<>();
    synchronized (q) {
      for (Iterator<PendingSet> it = q.sets.iterator(); it.hasNext(); ) {
        PendingSet s = it.next();
        if (s.version() != version || !s.key().equals(key)) continue;
        it.remove();
        removed(q, s);
        if (expired(s, nowMillis)) {
          reportExpired(s, listener);
        } else {
          taken.add(s);
        }
      }
    }
    return taken;
  }

  /** Drops (and reports) every held set older than the pending timeout. */
  public void expire(long nowMillis, DecodeListener listener) {
    if (total.get() == 0) return;
    queues.forEach((exporter, q) -> {
      synchronized (q) {
        while (!q.sets.isEmpty() && expired(q.sets.peekFirst(), nowMillis)) {
          PendingSet s = q.sets.removeFirst();
          removed(q, s);
          reportExpired(s, listener);
        }
      }
    });
  }

  /** Sets held for all exporters. */
  public int size() {
    return total.get();
  }

  /** Sets held for {@code exporter}. */
  public int size(ExporterId exporter) {
    Queue q = queues.get(exporter);
    if (q == null) return 0;
    synchronized (q) {
      return q.sets.size();
    }
  }

  /** Forgets what {@code exporter} held (it was forgotten). */
  void remove(ExporterId exporter) {
    Queue q = queues.remove(exporter);
    if (q != null) clear(q);
  }

  /** Forgets what every exporter {@code keep} refuses held. */
  void removeUnless(Predicate<ExporterId> keep) {
    queues.forEach((exporter, q) -> {
      if (!keep.test(exporter) && queues.remove(exporter, q)) clear(q);
    });
  }

  private void clear(Queue q) {
    synchronized (q) {
      for (PendingSet s; (s = q.sets.pollFirst()) != null; ) removed(q, s);
    }
  }

  /** Accounts for {@code s} leaving {@code q} (whose lock is held). */
  private void removed(Queue q, PendingSet s) {
    int cost = cost(s);
    q.bytes -= cost;
    budget.release(cost);
    total.decrementAndGet();
  }

  private boolean expired(PendingSet s, long nowMillis) {
    return nowMillis - s.receivedMillis() > timeoutMillis;
  }

  private static void reportExpired(PendingSet s, DecodeListener listener) {
    listener.pendingExpired(s.version(), s.key() + ": no template within the pending timeout");
  }
}
