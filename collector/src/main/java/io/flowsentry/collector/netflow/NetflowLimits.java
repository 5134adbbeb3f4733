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
 * @param maxExporters exporters tracked (templates, sequence numbers, sampling); more are counted and not decoded
 * @param maxTemplatesPerExporter templates per exporter (all observation domains together)
 * @param maxFieldsPerTemplate fields in one template
 * @param maxPendingRecords data sets held per exporter while their template is missing
 * @param maxPendingBytes bytes of such held sets per exporter
 * @param pendingTimeout how long held data waits for its template
 * @param templateTimeout a template not refreshed for this long is forgotten (v9 and UDP IPFIX only)
 * @param exporterIncludesPort whether the UDP source port is part of the exporter identity
 *     (false: address only, robust to NAT and exporters that change source ports; RFC 7011
 *     scopes templates to the transport session, set true to follow it strictly)
 */
public record NetflowLimits(
    @JsonProperty("max_exporters") Integer maxExporters,
    @JsonProperty("max_templates_per_exporter") Integer maxTemplatesPerExporter,
    @JsonProperty("max_fields_per_template") Integer maxFieldsPerTemplate,
    @JsonProperty("max_pending_records") Integer maxPendingRecords,
    @JsonProperty("max_pending_bytes") Integer maxPendingBytes,
    @JsonProperty("pending_timeout") String pendingTimeout,
    @JsonProperty("template_timeout") String templateTimeout,
    @JsonProperty("exporter_includes_port") Boolean exporterIncludesPort) {

  public NetflowLimits {
    maxExporters = maxExporters == null ? 1024 : maxExporters;
    maxTemplatesPerExporter = maxTemplatesPerExporter == null ? 1024 : maxTemplatesPerExporter;
    maxFieldsPerTemplate = maxFieldsPerTemplate == null ? 256 : maxFieldsPerTemplate;
    maxPendingRecords = maxPendingRecords == null ? 256 : maxPendingRecords;
    maxPendingBytes = maxPendingBytes == null ? 1 << 20 : maxPendingBytes;
    pendingTimeout = pendingTimeout == null ? "60s" : pendingTimeout;
    templateTimeout = templateTimeout == null ? "30m" : templateTimeout;
    exporterIncludesPort = exporterIncludesPort != null && exporterIncludesPort;
  }

  public static NetflowLimits defaults() {
    return new NetflowLimits(null, null, null, null, null, null, null, null);
  }

  public Duration pendingTimeoutDuration() {
    return Durations.parse(pendingTimeout);
  }

  public Duration templateTimeoutDuration() {
    return Durations.parse(templateTimeout);
  }

  /** Every problem at once, each naming its key under {@code prefix} (e.g. "inputs.netflow.limits"). */
  public List<String> validate(String prefix) {
    List<String> problems = new ArrayList<>();
    positive(problems, prefix + ".max_exporters", maxExporters);
    positive(problems, prefix + ".max_templates_per_exporter", maxTemplatesPerExporter);
    positive(problems, prefix + ".max_fields_per_template", maxFieldsPerTemplate);
    positive(problems, prefix + ".max_pending_records", maxPendingRecords);
    positive(problems, prefix + ".max_pending_bytes", maxPendingBytes);
    duration(problems, prefix + ".pending_timeout", pendingTimeout);
    duration(problems, prefix + ".template_timeout", templateTimeout);
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
