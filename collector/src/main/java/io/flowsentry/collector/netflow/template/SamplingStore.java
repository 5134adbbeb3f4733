package io.flowsentry.collector.netflow.template;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sampling rates (and system init times) that exporters announce in options data, applied to
 * later data records. Kept per (exporter, observation domain), and within that per sampler id,
 * sampler id -1 standing for options records that name no sampler (an exporter-wide rate, e.g.
 * IPFIX options scoped to the observation domain).
 *
 * <p>Bounded: at most {@code maxDomains} (exporter, domain) pairs and {@link #MAX_SAMPLERS} samplers
 * per pair; once full, new keys are ignored while known ones still update, so a flood of bogus
 * sampler ids cannot push out real ones. Reads are lock-free: decoders fetch a domain's
 * {@link Domain} once per message and scan its few samplers per record.
 */
public final class SamplingStore {

  /** Samplers per (exporter, domain): routers define a handful. */
  public static final int MAX_SAMPLERS = 64;

  record DomainKey(ExporterId exporter, long observationDomain) {}

  /** The announced sampling state of one (exporter, observation domain). */
  public static final class Domain {
    private volatile long[] samplerIds = new long[0];
    private volatile long[] intervals = new long[0];
    private volatile long systemInitMillis = -1;

    /** The interval for records naming {@code samplerId}: that sampler's, else the exporter-wide one, else 0. */
    public long interval(long samplerId) {
      long[] ids = samplerIds;
      long[] values = intervals;
      long wide = 0;
      for (int i = 0; i < ids.length && i < values.length; i++) {
        if (ids[i] == samplerId) return values[i];
        if (ids[i] == -1) wide = values[i];
      }
      return wide;
    }

    /** systemInitTimeMilliseconds announced in options data, or -1. */
    public long systemInitMillis() {
      return systemInitMillis;
    }

    private synchronized void put(long samplerId, long interval) {
      long[] ids = samplerIds;
      for (int i = 0; i < ids.length; i++) {
        if (ids[i] == samplerId) {
          long[] values = intervals.clone();
          values[i] = interval;
          intervals = values;
          return;
        }
      }
      if (ids.length >= MAX_SAMPLERS) return;
      long[] values = Arrays.copyOf(intervals, ids.length + 1);
      values[ids.length] = interval;
      intervals = values; // grown first: readers bound their scan by both lengths
      long[] grown = Arrays.copyOf(ids, ids.length + 1);
      grown[ids.length] = samplerId;
      samplerIds = grown;
    }
  }

  private static final Domain EMPTY = new Domain();

  private final int maxDomains;
  private final ConcurrentHashMap<DomainKey, Domain> domains = new ConcurrentHashMap<>();

  public SamplingStore(int maxDomains) {
    this.maxDomains = maxDomains;
  }

  /** Records that sampler {@code samplerId} (-1: the exporter-wide one) samples 1 in {@code interval}. */
  public void put(ExporterId exporter, long domain, long samplerId, long interval) {
    Domain d = writable(exporter, domain);
    if (d != null) d.put(samplerId, interval);
  }

  /** The interval for records naming {@code samplerId}: that sampler's, else the exporter-wide one, else 0. */
  public long interval(ExporterId exporter, long domain, long samplerId) {
    return domain(exporter, domain).interval(samplerId);
  }

  /** The sampling state of one (exporter, domain); an empty one when nothing was announced. */
  public Domain domain(ExporterId exporter, long domain) {
    Domain d = domains.get(new DomainKey(exporter, domain));
    return d != null ? d : EMPTY;
  }

  void putSystemInit(ExporterId exporter, long domain, long epochMillis) {
    Domain d = writable(exporter, domain);
    if (d != null) d.systemInitMillis = epochMillis;
  }

  /** (exporter, domain) pairs with announced state. */
  public int size() {
    return domains.size();
  }

  void remove(ExporterId exporter) {
    domains.keySet().removeIf(k -> k.exporter().equals(exporter));
  }

  private Domain writable(ExporterId exporter, long domain) {
    DomainKey key = new DomainKey(exporter, domain);
    Domain d = domains.get(key);
    if (d != null) return d;
    if (domains.size() >= maxDomains) return null;
    return domains.computeIfAbsent(key, k -> new Domain());
  }
}
