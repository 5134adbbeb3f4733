package io.flowsentry.collector.netflow.template;

/**
 * Scope of one template: RFC 3954 and RFC 7011 both make template ids unique per exporter and
 * observation domain (v9 source id) only.
 */
public record TemplateKey(ExporterId exporter, long observationDomain, int templateId) {

  @Override
  public String toString() {
    return exporter + " domain " + observationDomain + " template " + templateId;
  }
}
