package io.flowsentry.collector.netflow.template;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Sampling rates (and system init times) that exporters announce in options data, applied to
 * later data records. Keyed by (exporter, observation domain, sampler id), sampler id -1 for
 * options records that name no sampler (an exporter-wide rate, e.g. IPFIX options scoped to the
 * observation domain). Bounded in entries: once full, new keys are ignored while known keys still
 * update, so a flood of bogus sampler ids cannot push out real ones.
 */
public final class SamplingStore {

  /** Key of one announced sampling rate. */
  public record SamplerKey(ExporterId exporter, long observationDomain, long samplerId) {}

  /** Key of one announced systemInitTimeMilliseconds. */
  record DomainKey(ExporterId exporter, long observationDomain) {}

  private final int maxEntries;
  private final ConcurrentHashMap<SamplerKey, Long> intervals = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<DomainKey, Long> systemInit = new ConcurrentHashMap<>();

  /** @param maxEntries bound on sampler entries and on system-init entries, each */
  public SamplingStore(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** Records that sampler {@code samplerId} (-1: the exporter-wide one) samples 1 in {@code interval}. */
  public void put(ExporterId exporter, long domain, long samplerId, long interval) {
    SamplerKey key = new SamplerKey(exporter, domain, samplerId);
    if (intervals.size() < maxEntries || intervals.containsKey(key)) intervals.put(key, interval);
  }

  /**
   * The interval for records naming {@code samplerId}: that sampler's, else the exporter-wide
   * one, else 0 (unknown).
   */
  public long interval(ExporterId exporter, long domain, long samplerId) {
    Long v = intervals.get(new SamplerKey(exporter, domain, samplerId));
    if (v == null && samplerId != -1) v = intervals.get(new SamplerKey(exporter, domain, -1));
    return v == null ? 0 : v;
  }

  void putSystemInit(ExporterId exporter, long domain, long epochMillis) {
    DomainKey key = new DomainKey(exporter, domain);
    if (systemInit.size() < maxEntries || systemInit.containsKey(key)) systemInit.put(key, epochMillis);
  }

  /** systemInitTimeMilliseconds announced in options data, or -1. */
  long systemInit(ExporterId exporter, long domain) {
    Long v = systemInit.get(new DomainKey(exporter, domain));
    return v == null ? -1 : v;
  }

  public int size() {
    return intervals.size();
  }

  void remove(ExporterId exporter) {
    intervals.keySet().removeIf(k -> k.exporter().equals(exporter));
    systemInit.keySet().removeIf(k -> k.exporter().equals(exporter));
  }
}
