package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.NetflowLimits;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The one owner of template-based decoding state: templates per {@link TemplateKey}, plus the
 * {@link PendingData} and {@link SamplingStore} that hang off the same exporters. One store
 * serves the v9 and the IPFIX decoder, so every bound per exporter covers both protocols
 * (the key carries the protocol: the two never replace each other's templates). Shared by all
 * decoding threads; lookups are lock-free, changes lock only the exporter concerned.
 *
 * <p>Bounds ({@link NetflowLimits}), in entries and in heap bytes ({@link Template#retainedBytes},
 * {@link PendingData}): exporters tracked; templates per exporter by count and by bytes; held
 * data per exporter by sets and bytes; templates and held data of all exporters together
 * ({@code max_state_bytes}). When the exporter table is full a new exporter takes the place of
 * the least useful one ({@link ExporterActivity}); when the byte budget is used up, the least
 * useful exporter holding state is forgotten for a more useful one, and an exporter less useful
 * than every holder is refused ({@link DecodeError#STATE_BUDGET}). A datagram whose header does
 * not decode never reaches the store.
 *
 * <p>Time: a template not re-announced within {@code template_timeout} is forgotten, held data
 * after {@code pending_timeout}, an exporter silent for {@code exporter_timeout} with all its
 * state. {@link #expire} does it; the daemon calls it every second from its own timer (so state
 * goes whether or not anything arrives), and the decoders through {@link #expireIfDue} in
 * message time (which is all offline decoding has). Nothing here reads a clock.
 */
public final class TemplateStore {

  /** How often (in message time) {@link #expireIfDue} sweeps. */
  private static final long SWEEP_INTERVAL_MILLIS = 1_000;

  private final NetflowLimits limits;
  private final long templateTimeoutMillis;
  private final long exporterTimeoutMillis;
  private final ConcurrentHashMap<TemplateKey, Template> templates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ExporterId, Exporter> exporters = new ConcurrentHashMap<>();
  private final MemoryBudget budget;
  private final PendingData pending;
  private final SamplingStore sampling;
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder[] evictions = new LongAdder[EvictionReason.values().length];

  /**
   * One exporter's templates (the same instances as in the shared map, so that forgetting it
   * never removes a template a re-admitted successor stored), their bytes, and its activity;
   * guarded by itself.
   */
  static final class Exporter extends ExporterActivity {
    final ExporterId id;
    final Map<TemplateKey, Template> held = new HashMap<>();
    long templateBytes;
    /** Set when the exporter was forgotten: a decoder still holding it must not add to it. */
    boolean forgotten;

    Exporter(ExporterId id, long nowMillis) {
      super(nowMillis);
      this.id = id;
    }
  }

  public TemplateStore(NetflowLimits limits) {
    this.limits = limits;
    this.templateTimeoutMillis = limits.templateTimeoutDuration().toMillis();
    this.exporterTimeoutMillis = limits.exporterTimeoutDuration().toMillis();
    this.budget = new MemoryBudget(limits.maxStateBytes());
    this.pending = new PendingData(limits.maxPendingRecords(), limits.maxPendingBytes(),
        limits.pendingTimeoutDuration().toMillis(), budget);
    // observation domains per exporter are few; 16 per exporter is far above what exporters use
    this.sampling = new SamplingStore(Math.max(16, limits.maxExporters() * 16));
    for (int i = 0; i < evictions.length; i++) evictions[i] = new LongAdder();
  }

  public NetflowLimits limits() {
    return limits;
  }

  public PendingData pending() {
    return pending;
  }

  public SamplingStore sampling() {
    return sampling;
  }

  /**
   * Registers a message from {@code exporter} (its header decoded) and returns its entry. A new
   * exporter arriving at a full table takes the place of the least useful one.
   */
  Exporter admit(ExporterId exporter, long nowMillis) {
    Exporter e = exporters.get(exporter);
    if (e == null) {
      synchronized (exporters) {
        e = exporters.get(exporter);
        if (e == null) {
          if (exporters.size() >= limits.maxExporters()) {
            forget(ExporterActivity.leastUseful(exporters.values(), null), EvictionReason.TABLE_FULL);
          }
          e = new Exporter(exporter, nowMillis);
          exporters.put(exporter, e);
        }
      }
    }
    e.seen(nowMillis);
    return e;
  }

  /** Whether {@code exporter} is tracked now. */
  public boolean tracks(ExporterId exporter) {
    return exporters.containsKey(exporter);
  }

  /** The live template for {@code key} of protocol {@code version}, or null (unknown, timed out, other version). */
  public Template get(TemplateKey key, int version, long nowMillis) {
    Template t = templates.get(key);
    if (t == null || t.version() != version || nowMillis - t.lastSeenMillis() > templateTimeoutMillis) return null;
    return t;
  }

  /**
   * Re-announcement fast path: when {@code key} already holds exactly this definition, marks it
   * seen now and returns it, so exporters re-sending templates every few seconds cost no
   * compilation. Null when there is no such template.
   */
  public Template refresh(TemplateKey key, int version, boolean options, int scopeFieldCount, int[] ids,
      int[] lengths, long[] enterprises, long nowMillis) {
    Template t = templates.get(key);
    if (t == null || !t.sameDefinition(version, options, scopeFieldCount, ids, lengths, enterprises)) return null;
    t.touch(nowMillis);
    return t;
  }

  /**
   * Stores (or refreshes, or replaces) the template for {@code key}.
   *
   * @return null when stored, else why not (TOO_MANY_TEMPLATES for the exporter's count or
   *     bytes, STATE_BUDGET, TOO_MANY_EXPORTERS when the exporter is no longer tracked)
   */
  public DecodeError put(TemplateKey key, Template template, long nowMillis) {
    Exporter e = exporters.get(key.exporter());
    if (e == null) return DecodeError.TOO_MANY_EXPORTERS;
    Template current = templates.get(key);
    if (current != null && current.sameDefinition(template)) {
      current.touch(nowMillis);
      return null;
    }
    // charged before taking the exporter's lock: making room may forget other exporters
    long cost = template.retainedBytes();
    if (!reserve(e, cost)) return DecodeError.STATE_BUDGET;
    synchronized (e) {
      Template old = e.held.get(key);
      long oldBytes = old == null ? 0 : old.retainedBytes();
      DecodeError refused = e.forgotten ? DecodeError.TOO_MANY_EXPORTERS
          : old == null && e.held.size() >= limits.maxTemplatesPerExporter() ? DecodeError.TOO_MANY_TEMPLATES
          : e.templateBytes - oldBytes + cost > limits.maxTemplateBytesPerExporter() ? DecodeError.TOO_MANY_TEMPLATES
          : null;
      if (refused != null) {
        budget.release(cost);
        return refused;
      }
      templates.put(key, template);
      e.held.put(key, template);
      e.templateBytes += cost - oldBytes;
      budget.release(oldBytes);
    }
    return null;
  }

  /**
   * Holds a data set until its template arrives (bounded per exporter and by the state budget;
   * what is dropped is reported).
   */
  void hold(Exporter e, PendingSet set, DecodeListener listener) {
    pending.hold(set, listener, bytes -> reserve(e, bytes));
  }

  /**
   * Charges {@code bytes} to the state budget, first forgetting exporters less useful than
   * {@code e} that hold state, least useful first, as long as it does not fit. False when it
   * cannot be made to fit.
   */
  private boolean reserve(Exporter e, long bytes) {
    for (int tries = 0; !budget.tryCharge(bytes); tries++) {
      Exporter victim = null;
      for (Exporter c : exporters.values()) {
        if (c != e && c.lessUsefulThan(e) && (victim == null || c.lessUsefulThan(victim)) && holdsState(c)) victim = c;
      }
      if (victim == null || tries > limits.maxExporters()) return false;
      forget(victim, EvictionReason.STATE_BUDGET);
    }
    return true;
  }

  private boolean holdsState(Exporter e) {
    synchronized (e) {
      if (e.templateBytes > 0) return true;
    }
    return pending.size(e.id) > 0;
  }

  /** IPFIX template withdrawal of one template. */
  public void withdraw(TemplateKey key) {
    Exporter e = exporters.get(key.exporter());
    if (e == null) return;
    synchronized (e) {
      Template t = e.held.remove(key);
      if (t != null && templates.remove(key, t)) release(e, t);
    }
  }

  /** IPFIX withdraw-all: every (options, if {@code options}) template of one observation domain and protocol. */
  public void withdrawAll(ExporterId exporter, int version, long domain, boolean options) {
    Exporter e = exporters.get(exporter);
    if (e == null) return;
    synchronized (e) {
      e.held.entrySet().removeIf(kt -> {
        TemplateKey k = kt.getKey();
        Template t = kt.getValue();
        if (k.version() != version || k.observationDomain() != domain || t.isOptions() != options) return false;
        templates.remove(k, t);
        release(e, t);
        return true;
      });
    }
  }

  /** Gives back what {@code t} (removed from {@code e}, whose lock is held) cost. */
  private void release(Exporter e, Template t) {
    e.templateBytes -= t.retainedBytes();
    budget.release(t.retainedBytes());
  }

  /** Templates held for {@code exporter} (the {@code flowsentry_templates} gauge). */
  public int templateCount(ExporterId exporter) {
    Exporter e = exporters.get(exporter);
    if (e == null) return 0;
    synchronized (e) {
      return e.held.size();
    }
  }

  /** Templates held for all exporters. */
  public int templateCount() {
    return templates.size();
  }

  /** Heap bytes charged to the state budget now (templates and held data of every exporter). */
  public long stateBytes() {
    return budget.used();
  }

  /** Exporters tracked. */
  public int exporterCount() {
    return exporters.size();
  }

  /** The exporters tracked now (for per-exporter gauges). */
  public List<ExporterId> exporters() {
    return new ArrayList<>(exporters.keySet());
  }

  /** Exporters forgotten so far for {@code reason}. */
  public long evictions(EvictionReason reason) {
    return evictions[reason.ordinal()].sum();
  }

  /** {@link #expire} at most once per second of message time, whichever thread comes first. */
  public void expireIfDue(long nowMillis, DecodeListener listener) {
    long due = nextSweep.get();
    if (nowMillis < due || !nextSweep.compareAndSet(due, nowMillis + SWEEP_INTERVAL_MILLIS)) return;
    expire(nowMillis, listener);
  }

  /**
   * Forgets timed-out templates, drops (and reports) expired held data, and forgets exporters
   * silent for {@code exporter_timeout} with everything they had.
   */
  public void expire(long nowMillis, DecodeListener listener) {
    pending.expire(nowMillis, listener);
    for (Exporter e : exporters.values()) {
      if (nowMillis - e.lastSeenMillis() > exporterTimeoutMillis) {
        forget(e, EvictionReason.IDLE);
        continue;
      }
      synchronized (e) {
        e.held.entrySet().removeIf(kt -> {
          Template t = kt.getValue();
          if (nowMillis - t.lastSeenMillis() <= templateTimeoutMillis) return false;
          templates.remove(kt.getKey(), t);
          release(e, t);
          return true;
        });
      }
    }
    // a set held by a decoder that raced with its exporter being forgotten
    pending.removeUnless(exporters::containsKey);
  }

  /** Forgets {@code e} with its templates, held data and sampling rates. */
  private void forget(Exporter e, EvictionReason reason) {
    if (e == null) return;
    synchronized (exporters) {
      if (!exporters.remove(e.id, e)) return;
    }
    synchronized (e) {
      e.forgotten = true;
      e.held.forEach((k, t) -> {
        templates.remove(k, t);
        release(e, t);
      });
      e.held.clear();
    }
    pending.remove(e.id);
    sampling.remove(e.id);
    evictions[reason.ordinal()].increment();
  }
}
