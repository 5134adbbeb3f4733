package io.flowsentry.analyzer.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.net.ConfigChecks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The {@code policies} section; absent or empty means nothing alarms. */
public record PoliciesConfig(
    @JsonProperty("restricted_outgoing") List<RestrictedOutgoingPolicyConfig> restrictedOutgoing) {

  public PoliciesConfig {
    restrictedOutgoing = restrictedOutgoing == null ? List.of() : List.copyOf(restrictedOutgoing);
  }

  public static PoliciesConfig defaults() {
    return new PoliciesConfig(null);
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < restrictedOutgoing.size(); i++) {
      String key = keyPrefix + ".restricted_outgoing[" + i + "]";
      RestrictedOutgoingPolicyConfig p = restrictedOutgoing.get(i);
      if (p == null) {
        problems.add(ConfigChecks.problem(key, null, "a policy with at least name and restricted_networks"));
        continue;
      }
      problems.addAll(p.validate(key));
      if (!names.add(p.name())) {
        problems.add(ConfigChecks.problem(key + ".name", p.name(), "a name no other policy uses"));
      }
    }
    return problems;
  }
}
