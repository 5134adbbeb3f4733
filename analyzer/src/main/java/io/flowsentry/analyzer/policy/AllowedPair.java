package io.flowsentry.analyzer.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.flowsentry.collector.event.Cidr;
import io.flowsentry.analyzer.net.ConfigChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code allowed_pairs} entry: connections from {@code source} to {@code destination} are
 * allowed. Each side is an address, a CIDR or a hostname; hostnames stand for every address
 * they resolve to (A and AAAA).
 */
public record AllowedPair(
    @JsonProperty("source") String source,
    @JsonProperty("destination") String destination) {

  private static final Pattern HOSTNAME = Pattern.compile(
      "(?=.{1,253}\\.?$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.?");
  static final String EXPECTED = "an address, a CIDR or a hostname";

  public List<String> validate(String keyPrefix) {
    List<String> problems = new ArrayList<>();
    side(keyPrefix + ".source", source, problems);
    side(keyPrefix + ".destination", destination, problems);
    return problems;
  }

  /** The sides written as hostnames (the ones that need DNS). */
  public List<String> hostnames() {
    List<String> names = new ArrayList<>();
    if (!isAddress(source)) names.add(source.strip());
    if (!isAddress(destination)) names.add(destination.strip());
    return names;
  }

  private static void side(String key, String value, List<String> problems) {
    if (!isAddress(value) && !isHostname(value)) {
      problems.add(ConfigChecks.problem(key, value, EXPECTED));
    }
  }

  public static boolean isAddress(String value) {
    if (value == null || !Cidr.looksLikeAddress(value)) return false;
    try {
      Cidr.parse(value);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static boolean isHostname(String value) {
    return value != null && !Cidr.looksLikeAddress(value) && HOSTNAME.matcher(value.strip()).matches();
  }
}
