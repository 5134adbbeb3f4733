package io.flowsentry.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.alarm.OutputsConfig;
import io.flowsentry.analyzer.policy.PoliciesConfig;
import io.flowsentry.analyzer.policy.SiteConfig;
import io.flowsentry.cluster.config.ClusterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole configuration file (ARCHITECTURE.md, "Configuration shape"). Every section is
 * optional and takes its built-in default; the shipped config/flowsentry.yml shows them all.
 * Relative paths are relative to the working directory, as for nfcapd and Zeek.
 */
public record FlowsentryConfig(
    @JsonProperty("inputs") InputsConfig inputs,
    @JsonProperty("site") SiteConfig site,
    @JsonProperty("policies") PoliciesConfig policies,
    @JsonProperty("outputs") OutputsConfig outputs,
    @JsonProperty("state_dir") String stateDir,
    @JsonProperty("metrics") MetricsConfig metrics,
    @JsonProperty("cluster") ClusterConfig cluster) {

  public FlowsentryConfig {
    inputs = inputs == null ? InputsConfig.defaults() : inputs;
    site = site == null ? SiteConfig.defaults() : site;
    policies = policies == null ? PoliciesConfig.defaults() : policies;
    outputs = outputs == null ? OutputsConfig.defaults() : outputs;
    stateDir = stateDir == null ? "var/state" : stateDir;
    metrics = metrics == null ? MetricsConfig.defaults() : metrics;
    cluster = cluster == null ? ClusterConfig.defaults() : cluster;
  }

  /** Every section but the cluster's, which defaults to none (a single node). */
  public FlowsentryConfig(InputsConfig inputs, SiteConfig site, PoliciesConfig policies, OutputsConfig outputs,
      String stateDir, MetricsConfig metrics) {
    this(inputs, site, policies, outputs, stateDir, metrics, null);
  }

  public static FlowsentryConfig defaults() {
    return new FlowsentryConfig(null, null, null, null, null, null, null);
  }

  public Path stateDirPath() {
    return Path.of(stateDir);
  }

  /** Every problem of every section, each naming its key path. */
  public List<String> validate() {
    List<String> problems = new ArrayList<>();
    problems.addAll(inputs.validate("inputs"));
    problems.addAll(site.validate("site"));
    problems.addAll(policies.validate("policies"));
    problems.addAll(outputs.validate("outputs"));
    if (stateDir.isBlank()) problems.add("state_dir: \"\" (expected: a directory path)");
    problems.addAll(metrics.validate("metrics"));
    problems.addAll(cluster.validate("cluster"));
    return problems;
  }
}
