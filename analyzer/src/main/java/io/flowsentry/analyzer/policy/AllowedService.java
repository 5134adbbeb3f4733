package io.flowsentry.analyzer.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.net.ConfigChecks;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code allowed_services} entry: hosts in {@code network} may reach any responder on
 * {@code port} (the seed's {@code [192.168.4.7/32, 25/tcp]}).
 */
public record AllowedService(
    @JsonProperty("network") String network,
    @JsonProperty("port") String port) {

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    ConfigChecks.cidr(keyPrefix + ".network", network, problems);
    try {
      PortSpec.parse(port);
    } catch (IllegalArgumentException e) {
      problems.add(ConfigChecks.problem(keyPrefix + ".port", port, PortSpec.EXPECTED));
    }
    return problems;
  }
}
