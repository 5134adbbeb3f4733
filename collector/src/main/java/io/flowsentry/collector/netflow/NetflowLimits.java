package io.flowsentry.collector.netflow;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every bound on per-exporter decoding state (YAML {@code inputs.netflow.limits}). Null
 * values take the defaults below, which the shipped config/flowsentry.yml documents.
 *
 * @param maxExporters exporters tracked (counters, templates, sequence numbers, sampling); a new one
 *     beyond it takes the place of the least useful (see {@code ExporterActivity})
 * @param maxFieldsPerTemplate fields in one template
 * @param maxTemplatesPerExporter templates per exporter (v9 and IPFIX, all observation domains together)
 * @param maxTemplateBytesPerExporter heap those templates may take per exporter
 * @param maxPendingRecords data sets held per exporter while their template is missing
 * @param maxPendingBytes heap such held sets may take per exporter (data plus bookkeeping)
 * @param maxStateBytes heap all exporters' templates, held sets and entries may take together
 * @param pendingTimeout how long held data waits for its template
 * @param templateTimeout a template not refreshed for this long is forgotten (v9 and UDP IPFIX only)
 * @param exporterTimeout an exporter silent for this long is forgotten with all its state
 * @param exporterIncludesPort whether the UDP source port is part of the exporter identity
 *     (false: address only, robust to NAT and exporters that change source ports; RFC 7011
 *     scopes templates to the transport session, set true to follow it strictly)
 */
public record NetflowLimits(
    @JsonProperty("max_exporters") Integer maxExporters,
    @JsonProperty("max_templates_per_exporter") Integer maxTemplatesPerExporter,
    @JsonProperty("max_template_bytes_per_exporter") Integer maxTemplateBytesPerExporter,
    @JsonProperty("max_fields_per_template") Integer maxFieldsPerTemplate,
    @JsonProperty("max_pending_records") Integer maxPendingRecords,
    @JsonProperty("max_pending_bytes") Integer maxPendingBytes,
    @JsonProperty("max_state_bytes") Long maxStateBytes,
    @JsonProperty("pending_timeout") String pendingTimeout,
    @JsonProperty("template_timeout") String templateTimeout,
    @JsonProperty("exporter_timeout") String exporterTimeout,
    @JsonProperty("exporter_includes_port") Boolean exporterIncludesPort) {

  /**
   * What the collector keeps per exporter outside the template store: its metric series (up to
   * 8) and up to 64 sequence trackers. {@code ExporterFootprintTest} measured ~5.3 KB for an
   * exporter with every series and one domain per protocol; 64 trackers add ~6 KB.
   */
  public static final int EXPORTER_STATE_BYTES = 16 * 1024;
  /** The share of the maximum heap ({@code -Xmx}) the collector's state may claim; the rest is for suppression, queues and GC. */
  public static final double HEAP_SHARE = 0.5;
  /** One exporter's entries in the template store (identity, key set, queue, map entries). */
  public static final int TEMPLATE_STORE_EXPORTER_BYTES = 1024;

  public NetflowLimits {
    maxExporters = maxExporters == null ? 1024 : maxExporters;
    maxTemplatesPerExporter = maxTemplatesPerExporter == null ? 1024 : maxTemplatesPerExporter;
    maxTemplateBytesPerExporter = maxTemplateBytesPerExporter == null ? 1 << 20 : maxTemplateBytesPerExporter;
    maxFieldsPerTemplate = maxFieldsPerTemplate == null ? 256 : maxFieldsPerTemplate;
    maxPendingRecords = maxPendingRecords == null ? 256 : maxPendingRecords;
    maxPendingBytes = maxPendingBytes == null ? 1 << 20 : maxPendingBytes;
    maxStateBytes = maxStateBytes == null ? 64L << 20 : maxStateBytes;
    pendingTimeout = pendingTimeout == null ? "60s" : pendingTimeout;
    templateTimeout = templateTimeout == null ? "30m" : templateTimeout;
    exporterTimeout = exporterTimeout == null ? "30m" : exporterTimeout;
    exporterIncludesPort = exporterIncludesPort != null && exporterIncludesPort;
  }

  public static NetflowLimits defaults() {
    return new NetflowLimits(null, null, null, null, null, null, null, null, null, null, null);
  }

  public Duration pendingTimeoutDuration() {
    return Durations.parse(pendingTimeout);
  }

  public Duration templateTimeoutDuration() {
    return Durations.parse(templateTimeout);
  }

  public Duration exporterTimeoutDuration() {
    return Durations.parse(exporterTimeout);
  }

  /**
   * Heap the template store can take at most: every exporter at its template and pending
   * bounds plus its entry, capped by {@code max_state_bytes}.
   */
  public long maxStoreBytes() {
    long perExporter = (long) maxTemplateBytesPerExporter + maxPendingBytes + TEMPLATE_STORE_EXPORTER_BYTES;
    return Math.min(maxStateBytes, perExporter * maxExporters);
  }

  /** Heap the collector's per-exporter state can take at most: the store plus every exporter's counters. */
  public long maxHeapBytes() {
    return maxStoreBytes() + (long) EXPORTER_STATE_BYTES * maxExporters;
  }

  /** What these limits can use at most, as check-config prints it (comment lines). */
  public List<String> budgetLines(String prefix, long maxHeap) {
    return List.of(
        "# " + prefix + " allow at most (heap bytes, measured per entry on a 64-bit JVM):",
        "#   templates:   " + mib(maxTemplateBytesPerExporter) + " per exporter (v9 and IPFIX together, at most "
            + maxTemplatesPerExporter + ")",
        "#   held data:   " + mib(maxPendingBytes) + " per exporter (at most " + maxPendingRecords + " sets)",
        "#   both, for all " + maxExporters + " exporters: " + mib(maxStoreBytes()) + " (max_state_bytes "
            + mib(maxStateBytes) + ")",
        "#   exporters:   " + mib((long) EXPORTER_STATE_BYTES * maxExporters) + " (counters, sequence numbers; "
            + EXPORTER_STATE_BYTES / 1024 + " KiB each)",
        "#   total:       " + mib(maxHeapBytes()) + " of the " + mib((long) (maxHeap * HEAP_SHARE))
            + " it may claim (half of this JVM's maximum heap, " + mib(maxHeap) + ")");
  }

  /**
   * Empty when {@link #maxHeapBytes} fits the share of {@code maxHeap} the collector may claim,
   * else the problem, naming what to change.
   */
  public List<String> checkHeap(String prefix, long maxHeap) {
    long allowed = (long) (maxHeap * HEAP_SHARE);
    if (maxHeapBytes() <= allowed) return List.of();
    return List.of(prefix + ": these limits let exporter state grow to " + mib(maxHeapBytes())
        + ", more than the collector may claim of this JVM's heap (" + mib(allowed) + ", half of -Xmx "
        + mib(maxHeap) + "): lower max_state_bytes, max_exporters or the per-exporter bytes, or raise -Xmx"
        + " (FLOWSENTRY_MAX_HEAP=512m bin/flowsentry run)");
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }

  /** Every problem at once, each naming its key under {@code prefix} (e.g. "inputs.netflow.limits"). */
  public List<String> validate(String prefix) {
    List<String> problems = new ArrayList<>();
    positive(problems, prefix + ".max_exporters", maxExporters);
    positive(problems, prefix + ".max_templates_per_exporter", maxTemplatesPerExporter);
    positive(problems, prefix + ".max_fields_per_template", maxFieldsPerTemplate);
    positive(problems, prefix + ".max_pending_records", maxPendingRecords);
    positive(problems, prefix + ".max_template_bytes_per_exporter", maxTemplateBytesPerExporter);
    positive(problems, prefix + ".max_pending_bytes", maxPendingBytes);
    if (maxStateBytes <= 0) problems.add(prefix + ".max_state_bytes: " + maxStateBytes + " (expected: a positive integer)");
    duration(problems, prefix + ".pending_timeout", pendingTimeout);
    duration(problems, prefix + ".template_timeout", templateTimeout);
    duration(problems, prefix + ".exporter_timeout", exporterTimeout);
    return problems;
  }

  private static void positive(List<String> problems, String key, int value) {
    if (value <= 0) problems.add(key + ": " + value + " (expected: a positive integer)");
  }

  private static void duration(List<String> problems, String key, String value) {
    try {
      Durations.parse(value);
    } catch (IllegalArgumentException e) {
      problems.add(key + ": " + e.getMessage());
    }
  }
}
