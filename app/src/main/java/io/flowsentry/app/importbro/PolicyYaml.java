package io.flowsentry.app.importbro;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.AllowedService;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An imported policy as flowsentry configuration YAML: only the keys the scripts set, in the shipped file's order. */
public final class PolicyYaml {
  private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

  private PolicyYaml() {}

  /** A whole configuration file: {@code site.local_networks} when the scripts set it, and {@code policies}. */
  public static String configFile(ImportedPolicy p) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (p.localNetworks() != null) root.put("site", Map.of("local_networks", p.localNetworks()));
    root.put("policies", policies(p));
    return write(root);
  }

  /** The top-level {@code policies:} section alone. */
  public static String policiesSection(ImportedPolicy p) {
    return write(Map.of("policies", policies(p)));
  }

  private static Map<String, Object> policies(ImportedPolicy p) {
    Map<String, Object> policy = new LinkedHashMap<>();
    policy.put("name", p.name());
    policy.put("restricted_networks", p.restrictedNetworks());
    if (p.suppressFor() != null) policy.put("suppress_for", p.suppressFor());
    policy.put("allowed_destinations", p.allowedDestinations());
    policy.put("allowed_services", p.allowedServices().stream().map(PolicyYaml::service).toList());
    policy.put("allowed_pairs", p.allowedPairs().stream().map(PolicyYaml::pair).toList());
    return Map.of("restricted_outgoing", List.of(policy));
  }

  private static Map<String, String> service(AllowedService s) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("network", s.network());
    m.put("port", s.port());
    return m;
  }

  private static Map<String, String> pair(AllowedPair p) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("source", p.source());
    m.put("destination", p.destination());
    return m;
  }

  private static String write(Object tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e); // maps of strings always serialize
    }
  }
}
