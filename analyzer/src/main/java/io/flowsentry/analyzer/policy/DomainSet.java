package io.flowsentry.analyzer.policy;

import io.flowsentry.collector.zeek.dns.DnsLogParser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The names of an {@code allowed_domains} list: exact names ({@code updates.example.com}) and
 * wildcards ({@code *.windowsupdate.com}: any name below it, not the name itself). Compared
 * case-insensitively, a trailing dot ignored, as dns.log names are.
 */
public final class DomainSet implements Predicate<String> {
  private static final Pattern NAME = Pattern.compile(
      "(?i)(\\*\\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\\.?");

  private final Set<String> exact = new HashSet<>();
  /** Wildcard suffixes with their leading dot: {@code .windowsupdate.com}. */
  private final Set<String> suffixes = new HashSet<>();

  private DomainSet(List<String> entries) {
    for (String entry : entries) {
      String n = DnsLogParser.normalizedName(entry.strip());
      if (n.startsWith("*.")) suffixes.add(n.substring(1));
      else exact.add(n);
    }
  }

  /** Compiles validated entries. */
  public static DomainSet of(List<String> entries) {
    return new DomainSet(entries);
  }

  /** Whether an entry is a name or a {@code *.} wildcard (at most 253 characters). */
  public static boolean isValid(String entry) {
    String s = entry == null ? "" : entry.strip();
    return !s.isEmpty() && s.length() <= 255 && NAME.matcher(s).matches();
  }

  public boolean isEmpty() {
    return exact.isEmpty() && suffixes.isEmpty();
  }

  /** @param name a name as {@link DnsLogParser} gives it (lower case, no trailing dot) */
  @Override
  public boolean test(String name) {
    if (exact.contains(name)) return true;
    // each parent of the name, with its leading dot: a.b.example.com -> .b.example.com, .example.com, .com
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
      if (suffixes.contains(name.substring(dot))) return true;
    }
    return false;
  }
}
