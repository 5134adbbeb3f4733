package io.flowsentry.analyzer.resolve;

import io.flowsentry.collector.event.IpAddr;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.analyzer.net.ConfigChecks;
import io.flowsentry.collector.config.Durations;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code site.dns} section: how hostnames in {@code allowed_pairs} are resolved.
 *
 * @param servers nameservers as {@code address} or {@code address:port} ({@code [v6]:port});
 *     empty = the system's resolvers (/etc/resolv.conf)
 * @param minTtl shortest re-resolution interval, whatever the record TTL says
 * @param maxTtl longest re-resolution interval
 * @param keepSeenFor how long an address stays allowed after the name last resolved to it (CDNs rotate)
 * @param timeout how long one query may take before it counts as failed
 */
public record ResolverConfig(
    @JsonProperty("servers") List<String> servers,
    @JsonProperty("min_ttl") String minTtl,
    @JsonProperty("max_ttl") String maxTtl,
    @JsonProperty("keep_seen_for") String keepSeenFor,
    @JsonProperty("timeout") String timeout) {

  public ResolverConfig {
    servers = servers == null ? List.of() : List.copyOf(servers);
    minTtl = minTtl == null ? "30s" : minTtl;
    maxTtl = maxTtl == null ? "1h" : maxTtl;
    keepSeenFor = keepSeenFor == null ? "1h" : keepSeenFor;
    timeout = timeout == null ? "5s" : timeout;
  }

  public static ResolverConfig defaults() {
    return new ResolverConfig(null, null, null, null, null);
  }

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      try {
        parseServer(servers.get(i));
      } catch (IllegalArgumentException e) {
        problems.add(ConfigChecks.problem(keyPrefix + ".servers[" + i + "]", servers.get(i),
            "a nameserver address such as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53"));
      }
    }
    ConfigChecks.ttlBounds(keyPrefix, minTtl, Duration.ofSeconds(1), maxTtl, problems);
    ConfigChecks.duration(keyPrefix + ".keep_seen_for", keepSeenFor, Duration.ZERO, problems);
    ConfigChecks.duration(keyPrefix + ".timeout", timeout, Duration.ofMillis(1), problems);
    return problems;
  }

  public Duration minTtlDuration() {
    return Durations.parse(minTtl);
  }

  public Duration maxTtlDuration() {
    return Durations.parse(maxTtl);
  }

  public Duration keepSeenForDuration() {
    return Durations.parse(keepSeenFor);
  }

  public Duration timeoutDuration() {
    return Durations.parse(timeout);
  }

  public List<InetSocketAddress> serverAddresses() {
    return servers.stream().map(ResolverConfig::parseServer).toList();
  }

  static InetSocketAddress parseServer(String text) {
    String s = text.strip();
    String host = s;
    int port = 53;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) throw new IllegalArgumentException("unclosed [");
      host = s.substring(1, close);
      String rest = s.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) throw new IllegalArgumentException("expected :port after ]");
        port = parsePort(rest.substring(1));
      }
    } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') >= 0) {
      host = s.substring(0, s.indexOf(':'));
      port = parsePort(s.substring(s.indexOf(':') + 1));
    }
    return new InetSocketAddress(IpAddr.parse(host).toInetAddress(), port);
  }

  private static int parsePort(String digits) {
    if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("not a port");
    }
    int port = Integer.parseInt(digits);
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range");
    return port;
  }
}
