package io.flowsentry.collector.netflow;

import io.flowsentry.collector.netflow.template.ExporterId;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exporters the collector keeps state for, at most {@code limits.max_exporters}. The bound
 * also bounds the {@code exporter} label of every metric. Exporters beyond it are not tracked:
 * their datagrams are counted as {@link DecodeError#TOO_MANY_EXPORTERS} and not decoded, as
 * {@link NetflowLimits} documents. Exporters are never forgotten: a collector serves a fixed
 * fleet of routers, and a restart clears the table.
 */
final class ExporterRegistry {

  private final int maxExporters;
  private final boolean includePort;
  private final MeterRegistry registry;
  private final ConcurrentHashMap<ExporterId, ExporterState> exporters = new ConcurrentHashMap<>();

  ExporterRegistry(int maxExporters, boolean includePort, MeterRegistry registry) {
    this.maxExporters = maxExporters;
    this.includePort = includePort;
    this.registry = registry;
  }

  /** The state of the datagram's exporter, or null when it is new and the table is full. */
  ExporterState get(InetSocketAddress sender) {
    ExporterId id = ExporterId.of(sender, includePort);
    ExporterState state = exporters.get(id);
    if (state != null || exporters.size() >= maxExporters) return state;
    synchronized (this) { // rare: only the first datagram of each exporter
      state = exporters.get(id);
      if (state == null && exporters.size() < maxExporters) {
        state = new ExporterState(id, registry);
        exporters.put(id, state);
      }
      return state;
    }
  }

  int size() {
    return exporters.size();
  }
}
