package io.flowsentry.collector.pipeline;

import io.flowsentry.collector.event.IpAddr;
import io.flowsentry.collector.netflow.template.ExporterActivity;
import io.flowsentry.collector.netflow.ExportProtocol;
import io.flowsentry.collector.netflow.SequenceTracker;
import io.flowsentry.collector.netflow.template.ExporterId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the collector keeps per exporter: its metric counters, looked up once and cached so the
 * hot path never searches the meter registry, and one {@link SequenceTracker} per version and
 * observation domain or sFlow agent and sub-agent (at most {@link #MAX_DOMAINS}; more are decoded
 * but not sequence-tracked), and its sFlow series and sample-loss state when it sends sFlow.
 * Meters are registered on first use, so a source whose datagram does not decode, and so never
 * enters the {@link ExporterRegistry}, leaves no series behind.
 */
final class ExporterState extends ExporterActivity {

  /**
   * Observation domains (v9 and IPFIX together) tracked per exporter; real exporters have a
   * handful. Bounds the heap one exporter's trackers can take (~100 bytes each).
   */
  static final int MAX_DOMAINS = 64;

  /** {@code agent} is null for NetFlow and IPFIX; sFlow numbers datagrams per agent address and sub-agent. */
  private record DomainKey(int version, long domain, IpAddr agent) {
    // as in IpAddr, the record's own value written out (one lookup per datagram)
    @Override
    public boolean equals(Object o) {
      return o instanceof DomainKey k && version == k.version && domain == k.domain && Objects.equals(agent, k.agent);
    }

    @Override
    public int hashCode() {
      return (31 * Integer.hashCode(version) + Long.hashCode(domain)) * 31 + Objects.hashCode(agent);
    }
  }

  final ExporterId id;
  private final String label;
  private final String addressText;
  private final MeterRegistry registry;
  private final AtomicReferenceArray<Counter> packets = new AtomicReferenceArray<>(ExportProtocol.values().length);
  private final AtomicReferenceArray<Counter> records = new AtomicReferenceArray<>(ExportProtocol.values().length);
  private volatile Counter sequenceGaps;
  private volatile Counter enterpriseElementsSkipped;
  private volatile SflowCounters sflow;
  private final ConcurrentHashMap<DomainKey, SequenceTracker> trackers = new ConcurrentHashMap<>();

  ExporterState(ExporterId id, MeterRegistry registry, long nowMillis) {
    super(nowMillis);
    this.id = id;
    this.label = id.toString();
    this.addressText = id.address().toString();
    this.registry = registry;
  }

  /** The exporter label of its metrics. */
  String label() {
    return label;
  }

  /** The exporter address as events name it. */
  String addressText() {
    return addressText;
  }

  Counter packets(ExportProtocol p) {
    Counter c = packets.get(p.ordinal());
    if (c == null) {
      c = register("flowsentry.packets.received", "Export datagrams received per protocol and exporter", p);
      packets.set(p.ordinal(), c); // a racing thread registers and stores the same meter
    }
    return c;
  }

  Counter records(ExportProtocol p) {
    Counter c = records.get(p.ordinal());
    if (c == null) {
      c = register("flowsentry.flow.records", "Flow records decoded per protocol and exporter", p);
      records.set(p.ordinal(), c);
    }
    return c;
  }

  Counter sequenceGaps() {
    Counter c = sequenceGaps;
    if (c == null) {
      c = register("flowsentry.sequence.gaps", "Sequence-number gaps (lost export messages) per exporter", null);
      sequenceGaps = c;
    }
    return c;
  }

  Counter enterpriseElementsSkipped() {
    Counter c = enterpriseElementsSkipped;
    if (c == null) {
      c = register("flowsentry.enterprise.elements.skipped", "Values of enterprise-specific IPFIX elements skipped by length (not decoded) per exporter", null);
      enterpriseElementsSkipped = c;
    }
    return c;
  }

  /** This exporter's sFlow series, registered with the first use. */
  SflowCounters sflow() {
    SflowCounters c = sflow;
    if (c == null) {
      synchronized (this) {
        c = sflow;
        if (c == null) sflow = c = new SflowCounters(label, registry);
      }
    }
    return c;
  }

  /** Registers one of this exporter's counters, tagged by protocol unless it is null; first use only, never per datagram. */
  private Counter register(String name, String description, ExportProtocol protocol) {
    Counter.Builder builder = Counter.builder(name).description(description).tag("exporter", label);
    if (protocol != null) builder.tag("protocol", protocol.label());
    return builder.register(registry);
  }

  /** Removes this exporter's series from the registry (it was forgotten). */
  void removeMeters() {
    for (int i = 0; i < packets.length(); i++) {
      if (packets.get(i) != null) registry.remove(packets.get(i));
      if (records.get(i) != null) registry.remove(records.get(i));
    }
    if (sequenceGaps != null) registry.remove(sequenceGaps);
    if (enterpriseElementsSkipped != null) registry.remove(enterpriseElementsSkipped);
    if (sflow != null) sflow.remove(registry);
  }

  /** The tracker of one version and domain, or null when the exporter already has {@link #MAX_DOMAINS}. */
  SequenceTracker tracker(int version, long domain) {
    return tracker(new DomainKey(version, domain, null));
  }

  /** The tracker of one sFlow agent and sub-agent, or null when the exporter already has {@link #MAX_DOMAINS}. */
  SequenceTracker sflowTracker(IpAddr agent, long subAgent) {
    return tracker(new DomainKey(ExportProtocol.SFLOW_VERSION, subAgent, agent));
  }

  private SequenceTracker tracker(DomainKey key) {
    SequenceTracker t = trackers.get(key);
    if (t != null || trackers.size() >= MAX_DOMAINS) return t;
    return trackers.computeIfAbsent(key, k -> new SequenceTracker());
  }
}
