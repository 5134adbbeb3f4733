package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Data sets that arrived before their template (common right after a collector or exporter
 * restart: exporters re-send templates only every few minutes). Held per exporter, bounded by
 * set count, bytes and age; whatever is dropped for a bound or for age is reported as
 * {@link DecodeError#PENDING_EXPIRED}. Sets are decoded when their template arrives.
 */
public final class PendingData {

  private final int maxSets;
  private final int maxBytes;
  private final long timeoutMillis;
  private final ConcurrentHashMap<ExporterId, Queue> queues = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Held sets of one exporter, oldest first; guarded by itself. */
  private static final class Queue {
    final ArrayDeque<PendingSet> sets = new ArrayDeque<>();
    int bytes;
  }

  public PendingData(int maxSetsPerExporter, int maxBytesPerExporter, long timeoutMillis) {
    this.maxSets = maxSetsPerExporter;
    this.maxBytes = maxBytesPerExporter;
    this.timeoutMillis = timeoutMillis;
  }

  /** Holds {@code set}, first dropping the oldest sets of its exporter as the bounds require. */
  public void hold(PendingSet set, DecodeListener listener) {
    if (set.data().length > maxBytes) {
      listener.error(DecodeError.PENDING_EXPIRED, set.key() + ": " + set.data().length
          + " bytes waiting for the template (expected: at most " + maxBytes + ")");
      return;
    }
    Queue q = queues.computeIfAbsent(set.key().exporter(), e -> new Queue());
    synchronized (q) {
      while (!q.sets.isEmpty() && (q.sets.size() >= maxSets || q.bytes + set.data().length > maxBytes)) {
        PendingSet dropped = q.sets.removeFirst();
        q.bytes -= dropped.data().length;
        total.decrementAndGet();
        listener.error(DecodeError.PENDING_EXPIRED, dropped.key() + ": held data dropped for the "
            + "pending bound (" + maxSets + " sets, " + maxBytes + " bytes per exporter)");
      }
      q.sets.addLast(set);
      q.bytes += set.data().length;
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
        q.bytes -= s.data().length;
        total.decrementAndGet();
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
    for (Queue q : queues.values()) {
      synchronized (q) {
        while (!q.sets.isEmpty() && expired(q.sets.peekFirst(), nowMillis)) {
          PendingSet s = q.sets.removeFirst();
          q.bytes -= s.data().length;
          total.decrementAndGet();
          reportExpired(s, listener);
        }
      }
    }
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

  /** Forgets an idle exporter's (empty) queue. */
  void removeIfEmpty(ExporterId exporter) {
    queues.computeIfPresent(exporter, (e, q) -> {
      synchronized (q) {
        return q.sets.isEmpty() ? null : q;
      }
    });
  }

  private boolean expired(PendingSet s, long nowMillis) {
    return nowMillis - s.receivedMillis() > timeoutMillis;
  }

  private static void reportExpired(PendingSet s, DecodeListener listener) {
    listener.error(DecodeError.PENDING_EXPIRED, s.key() + ": no template within the pending timeout");
  }
}
