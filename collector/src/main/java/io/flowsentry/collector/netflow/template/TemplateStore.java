package io.flowsentry.collector.netflow.template;

import io.flowsentry.collector.netflow.DecodeError;
import io.flowsentry.collector.netflow.DecodeListener;
import io.flowsentry.collector.netflow.NetflowLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one owner of template-based decoding state: templates per {@link TemplateKey}, plus the
 * {@link PendingData} and {@link SamplingStore} that hang off the same exporters. Shared by all
 * decoding threads; lookups are lock-free, changes lock only the exporter concerned.
 *
 * <p>Bounds ({@link NetflowLimits}): exporters tracked, templates per exporter (all observation
 * domains together), fields per template (checked by the decoders), pending data. A template
 * not re-announced within {@code template_timeout} is forgotten, and an exporter with neither
 * templates nor held data that has been silent that long is forgotten too, freeing its slot.
 * Time is whatever the decoders pass ({@code receivedMillis}); nothing here reads a clock.
 *
 * <p>v9 and IPFIX template ids are separate name spaces. One store may serve both decoders:
 * templates and held data remember their protocol, a lookup from the other protocol misses and
 * held data waits for a template of its own protocol. An exporter that speaks both with the same
 * domain and template ids makes them replace each other, though; one store per protocol avoids that.
 */
public final class TemplateStore {

  /** How often (in message time) {@link #expireIfDue} sweeps. */
  private static final long SWEEP_INTERVAL_MILLIS = 1_000;

  private final NetflowLimits limits;
  private final long templateTimeoutMillis;
  private final ConcurrentHashMap<TemplateKey, Template> templates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<ExporterId, ExporterTemplates> exporters = new ConcurrentHashMap<>();
  private final PendingData pending;
  private final SamplingStore sampling;
  private final AtomicLong nextSweep = new AtomicLong(Long.MIN_VALUE);

  /** Keys of one exporter's templates and when it was last heard; guarded by itself. */
  private static final class ExporterTemplates {
    final Set<TemplateKey> keys = new HashSet<>();
    volatile long lastSeenMillis;
  }

  public TemplateStore(NetflowLimits limits) {
    this.limits = limits;
    this.templateTimeoutMillis = limits.templateTimeoutDuration().toMillis();
    this.pending = new PendingData(limits.maxPendingRecords(), limits.maxPendingBytes(),
        limits.pendingTimeoutDuration().toMillis());
    // observation domains per exporter are few; 16 per exporter is far above what exporters use
    this.sampling = new SamplingStore(Math.max(16, limits.maxExporters() * 16));
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
   * Registers a message from {@code exporter}. False when the exporter is new and
   * {@code max_exporters} are already tracked: its messages must not be decoded.
   */
  public boolean admit(ExporterId exporter, long nowMillis) {
    ExporterTemplates e = exporters.get(exporter);
    if (e == null) {
      synchronized (exporters) {
        e = exporters.get(exporter);
        if (e == null) {
          if (exporters.size() >= limits.maxExporters()) return false;
          e = new ExporterTemplates();
          exporters.put(exporter, e);
        }
      }
    }
    e.lastSeenMillis = nowMillis;
    return true;
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
   * @return null when stored, else why not (TOO_MANY_TEMPLATES, TOO_MANY_EXPORTERS)
   */
  public DecodeError put(TemplateKey key, Template template, long nowMillis) {
    ExporterTemplates e = exporters.get(key.exporter());
    if (e == null) return DecodeError.TOO_MANY_EXPORTERS;
    synchronized (e) {
      Template old = templates.get(key);
      if (old != null && old.sameDefinition(template)) {
        old.touch(nowMillis);
        return null;
      }
      if (old == null && e.keys.size() >= limits.maxTemplatesPerExporter()) return DecodeError.TOO_MANY_TEMPLATES;
      templates.put(key, template);
      e.keys.add(key);
    }
    return null;
  }

  /** IPFIX template withdrawal of one template. */
  public void withdraw(TemplateKey key) {
    ExporterTemplates e = exporters.get(key.exporter());
    if (e == null) return;
    synchronized (e) {
      if (e.keys.remove(key)) templates.remove(key);
    }
  }

  /** IPFIX withdraw-all: every (options, if {@code options}) template of one observation domain. */
  public void withdrawAll(ExporterId exporter, long domain, boolean options) {
    ExporterTemplates e = exporters.get(exporter);
    if (e == null) return;
    synchronized (e) {
      e.keys.removeIf(k -> {
        Template t = templates.get(k);
        if (k.observationDomain() != domain || t == null || t.isOptions() != options) return false;
        templates.remove(k);
        return true;
      });
    }
  }

  /** Templates held for {@code exporter} (the {@code flowsentry_templates} gauge). */
  public int templateCount(ExporterId exporter) {
    ExporterTemplates e = exporters.get(exporter);
    if (e == null) return 0;
    synchronized (e) {
      return e.keys.size();
    }
  }

  /** Templates held for all exporters. */
  public int templateCount() {
    return templates.size();
  }

  /** Exporters tracked. */
  public int exporterCount() {
    return exporters.size();
  }

  /** The exporters tracked now (for per-exporter gauges). */
  public List<ExporterId> exporters() {
    return new ArrayList<>(exporters.keySet());
  }

  /** {@link #expire} at most once per second of message time, whichever thread comes first. */
  public void expireIfDue(long nowMillis, DecodeListener listener) {
    long due = nextSweep.get();
    if (nowMillis < due || !nextSweep.compareAndSet(due, nowMillis + SWEEP_INTERVAL_MILLIS)) return;
    expire(nowMillis, listener);
  }

  /**
   * Forgets timed-out templates, drops (and reports) expired pending data, and forgets exporters
   * that have been silent for the template timeout with nothing left.
   */
  public void expire(long nowMillis, DecodeListener listener) {
    pending.expire(nowMillis, listener);
    exporters.forEach((id, e) -> {
      synchronized (e) {
        e.keys.removeIf(k -> {
          Template t = templates.get(k);
          if (t != null && nowMillis - t.lastSeenMillis() <= templateTimeoutMillis) return false;
          templates.remove(k);
          return true;
        });
        if (!e.keys.isEmpty() || nowMillis - e.lastSeenMillis <= templateTimeoutMillis
            || pending.size(id) > 0) {
          return;
        }
      }
      synchronized (exporters) {
        exporters.remove(id, e);
      }
      pending.removeIfEmpty(id);
      sampling.remove(id);
    });
  }
}
