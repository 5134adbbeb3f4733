package io.flowsentry.analyzer.policy;

/**
 * What decided an event in {@link RestrictedOutgoingPolicy#decide}: the first check, in the
 * order asked, that let it through, or {@link #ALARM} when none did.
 */
public enum Decision {
  /** The originator is outside {@code restricted_networks}: the policy does not apply. */
  NOT_RESTRICTED("originator outside restricted_networks"),
  /** The responder is inside {@code site.local_networks}: not the Internet. */
  LOCAL_RESPONDER("responder inside site.local_networks"),
  ALLOWED_DESTINATION("allowed_destinations"),
  ALLOWED_SERVICE("allowed_services"),
  /** An {@code allowed_pairs} entry whose destination (address, CIDR or resolved hostname) holds the responder. */
  ALLOWED_PAIR("allowed_pairs"),
  ALLOWED_DOMAIN("allowed_domains (the originator resolved the responder from an allowed name, dns.log)"),
  /** An {@code allowed_pairs} hostname the originator itself resolved to the responder (dns.log). */
  ALLOWED_PAIR_RESOLVED("allowed_pairs (the originator resolved the responder from the pair's hostname, dns.log)"),
  ALARM("no exception matched");

  private final String description;

  Decision(String description) {
    this.description = description;
  }

  public boolean alarms() {
    return this == ALARM;
  }

  /** What the decision means, for people. */
  public String description() {
    return description;
  }
}
