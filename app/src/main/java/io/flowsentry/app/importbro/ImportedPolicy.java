package io.flowsentry.app.importbro;

import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.AllowedService;
import io.flowsentry.analyzer.policy.RestrictedOutgoingPolicyConfig;
import java.util.List;

/**
 * What the scripts set, in flowsentry's terms: one restricted-outgoing policy and, when the
 * scripts redefine {@code Site::local_nets}, the site's local networks.
 *
 * @param suppressFor from {@code restricted_connection_timeout}, null when the scripts keep the default (60 s, as flowsentry's)
 * @param localNetworks from {@code Site::local_nets}, null when the scripts do not set it
 */
public record ImportedPolicy(String name, List<String> restrictedNetworks, String suppressFor,
    List<String> allowedDestinations, List<AllowedService> allowedServices, List<AllowedPair> allowedPairs,
    List<String> localNetworks) {

  /** The policy name the Bro script used for its own log file ({@code restricted-outgoing.file}). */
  public static final String DEFAULT_NAME = "restricted-outgoing";

  public ImportedPolicy {
    restrictedNetworks = List.copyOf(restrictedNetworks);
    allowedDestinations = List.copyOf(allowedDestinations);
    allowedServices = List.copyOf(allowedServices);
    allowedPairs = List.copyOf(allowedPairs);
    localNetworks = localNetworks == null ? null : List.copyOf(localNetworks);
  }

  /** The policy as flowsentry's configuration record, every other key at its default. */
  public RestrictedOutgoingPolicyConfig toConfig() {
    return new RestrictedOutgoingPolicyConfig(name, restrictedNetworks, suppressFor, null, allowedDestinations,
        allowedServices, allowedPairs, null, null, null, null);
  }
}
