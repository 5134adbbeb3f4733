package io.flowsentry.collector.netflow.template;

/**
 * Scope of one template: RFC 3954 and RFC 7011 both make template ids unique per exporter and
 * observation domain (v9 source id) only. The protocol is part of the key because one store
 * serves v9 and IPFIX (one budget per exporter across both): an exporter speaking both with the
 * same domain and template ids keeps two templates, not one replacing the other.
 *
 * @param version 9 or 10
 */
public record TemplateKey(ExporterId exporter, int version, long observationDomain, int templateId) {

  /** As log lines name it; they name the protocol themselves. */
  @Override
  public String toString() {
    return exporter + " domain " + observationDomain + " template " + templateId;
  }
}
