package io.flowsentry.analyzer.learn;

import io.flowsentry.analyzer.policy.DomainSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which {@code allowed_domains} entries stand for a set of regular names: the names themselves,
 * except that {@value #WILDCARD_MIN_NAMES} or more names sharing their last two labels
 * ({@code a.cdn.example}, {@code b.cdn.example}, {@code c.cdn.example}) become one wildcard
 * ({@code *.cdn.example}). The rule is deliberately simple: it does not know public suffixes, so
 * names under {@code co.uk} would give {@code *.co.uk}; the report shows every entry for review.
 */
final class DomainProposals {
  static final int WILDCARD_MIN_NAMES = 3;

  private DomainProposals() {}

  /** The entries, in the order of the names given (a wildcard where its first name was); only ones check-config accepts. */
  static List<String> entries(List<String> names) {
    Map<String, List<String>> bySuffix = new LinkedHashMap<>();
    for (String n : names) {
      if (!DomainSet.isValid(n)) continue;
      String suffix = lastTwoLabels(n);
      bySuffix.computeIfAbsent(suffix == null ? n : suffix, k -> new ArrayList<>()).add(n);
    }
    List<String> out = new ArrayList<>();
    bySuffix.forEach((suffix, members) -> {
      // a wildcard matches names below the suffix, not the suffix itself: that one stays exact
      List<String> below = members.stream().filter(m -> m.endsWith("." + suffix)).toList();
      if (below.size() >= WILDCARD_MIN_NAMES) {
        out.add("*." + suffix);
        members.stream().filter(m -> !m.endsWith("." + suffix)).forEach(out::add);
      } else {
        out.addAll(members);
      }
    });
    return out;
  }

  /** {@code b.example} of {@code a.b.example}; null for a name of fewer than three labels. */
  static String lastTwoLabels(String name) {
    int last = name.lastIndexOf('.');
    if (last <= 0) return null;
    int second = name.lastIndexOf('.', last - 1);
    if (second <= 0) return null;
    return name.substring(second + 1);
  }

  /** The entry as a YAML list item's value: a wildcard quoted (a plain {@code *} starts an alias). */
  static String yaml(String entry) {
    return entry.startsWith("*") ? "\"" + entry + "\"" : entry;
  }
}
