package io.flowsentry.cluster.config;

/**
 * The names the roles agree on. The {@code .v1} suffix is the wire schema's version
 * (cluster/src/main/proto/flowsentry/events/v1): an incompatible schema gets new topics, so old
 * and new roles never read each other's records.
 */
public record Topics(String prefix) {
  public String flows() {
    return prefix + ".flows.v1";
  }

  /** dns.log answers from the collectors; every analyzer reads all of them (resp_name, allowed_domains). */
  public String dns() {
    return prefix + ".dns.v1";
  }

  public String alarms() {
    return prefix + ".alarms.v1";
  }

  /** The analyzers' consumer group and Streams application id (also the prefix of its internal topics). */
  public String analyzerApplicationId() {
    return prefix + "-analyzer";
  }

  /** The alarm writer's consumer group (its position lives in its state file, not in the group). */
  public String alarmWriterGroup() {
    return prefix + "-alarm-writer";
  }
}
