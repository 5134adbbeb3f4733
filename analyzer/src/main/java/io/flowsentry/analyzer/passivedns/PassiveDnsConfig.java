package io.flowsentry.analyzer.passivedns;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.analyzer.alarm.RotateConfig;
import io.flowsentry.analyzer.net.ConfigChecks;
import io.flowsentry.collector.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code site.passive_dns} section: how long and how much of what Zeek's dns.log taught
 * ({@code inputs.zeek_dns}) is kept.
 *
 * @param minTtl an answer is kept at least this long, whatever its TTL (resolvers and clients
 *     cache past short TTLs)
 * @param maxTtl ... and at most this long
 * @param grace added to the clamped TTL: a connection may start a little after the answer expired
 *     (a client that cached it) and event clocks of different sources differ a little
 * @param maxEntries most (client, address) pairs remembered
 * @param maxMemory most memory the table may take, as a size such as 64MB
 */
public record PassiveDnsConfig(
    @JsonProperty("min_ttl") String minTtl,
    @JsonProperty("max_ttl") String maxTtl,
    @JsonProperty("grace") String grace,
    @JsonProperty("max_entries") Integer maxEntries,
    @JsonProperty("max_memory") String maxMemory) {

  public PassiveDnsConfig {
    minTtl = minTtl == null ? "60s" : minTtl;
    maxTtl = maxTtl == null ? "1d" : maxTtl;
    grace = grace == null ? "5m" : grace;
    maxEntries = maxEntries == null ? 1_000_000 : maxEntries;
    maxMemory = maxMemory == null ? "32MB" : maxMemory;
  }

  public static PassiveDnsConfig defaults() {
    return new PassiveDnsConfig(null, null, null, null, null);
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    ConfigChecks.ttlBounds(keyPrefix, minTtl, Duration.ZERO, maxTtl, problems);
    ConfigChecks.duration(keyPrefix + ".grace", grace, Duration.ZERO, problems);
    ConfigChecks.range(keyPrefix + ".max_entries", maxEntries, 1, 100_000_000, problems);
    try {
      if (RotateConfig.parseSize(maxMemory) < PassiveDnsTable.MIN_MEMORY_BYTES) throw new IllegalArgumentException("too small");
    } catch (IllegalArgumentException | ArithmeticException e) {
      problems.add(ConfigChecks.problem(keyPrefix + ".max_memory", maxMemory, "a size of at least 1MB such as 32MB"));
    }
    return problems;
  }

  public Duration minTtlDuration() {
    return Durations.parse(minTtl);
  }

  public Duration maxTtlDuration() {
    return Durations.parse(maxTtl);
  }

  public Duration graceDuration() {
    return Durations.parse(grace);
  }

  public long maxMemoryBytes() {
    return RotateConfig.parseSize(maxMemory);
  }
}
