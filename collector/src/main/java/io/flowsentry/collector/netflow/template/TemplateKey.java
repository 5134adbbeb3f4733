package io.flowsentry.collector.netflow.template;

import java.util.Objects;

/**
 * Scope of one template: RFC 3954 and RFC 7011 both make template ids unique per exporter and
 * observation domain (v9 source id) only. The protocol is part of the key because one store
 * serves v9 and IPFIX (one budget per exporter across both): an exporter speaking both with the
 * same domain and template ids keeps two templates, not one replacing the other.
 *
 * @param version 9 or 10
 */
public record TemplateKey(ExporterId exporter, int version, long observationDomain, int templateId) {

  // equals and hashCode: as in IpAddr, the record's own value written out (one lookup per data set)
  @Override
  public boolean equals(Object o) {
    return o instanceof TemplateKey k && version == k.version && observationDomain == k.observationDomain
        && templateId == k.templateId && Objects.equals(exporter, k.exporter);
  }

  @Override
  public int hashCode() {
    return ((31 * Objects.hashCode(exporter) + Integer.hashCode(version)) * 31 + Long.hashCode(observationDomain)) * 31
        + Integer.hashCode(templateId);
  }

  /** As log lines name it; they name the protocol themselves. */
  @Override
  public String toString() {
    return exporter + " domain " + observationDomain + " template " + templateId;
  }
}
