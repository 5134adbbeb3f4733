package io.flowsentry.app.importbro;

import io.flowsentry.analyzer.policy.AllowedPair;
import io.flowsentry.analyzer.policy.AllowedService;
import io.flowsentry.analyzer.policy.PortSpec;
import io.flowsentry.app.importbro.BroToken.Kind;
import io.flowsentry.collector.event.Cidr;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the settings of the 2008 restricted-outgoing Bro script from script text and says what
 * the equivalent flowsentry policy is. A pure function: text in, {@link Result} out, no I/O; it
 * never throws, everything it cannot import is an {@link ImportProblem} with file and line.
 *
 * <p>Understood, as Bro/Zeek evaluate them: {@code redef RestrictedOutgoing::X = { … };}
 * (replaces), {@code += { … }} (adds) and {@code -= { … }} (removes) for
 * {@code restricted_outgoing_networks}, {@code allowed_outgoing_dsts},
 * {@code allowed_outgoing_network_service_pairs} ({@code [net, 25/tcp]}),
 * {@code allowed_outgoing_dst_pairs} ({@code [host, host]}, addresses, subnets or hostnames) and
 * {@code Site::local_nets}; {@code redef RestrictedOutgoing::restricted_connection_timeout = 120 secs;}
 * (usec, msec, sec(s), min(s), hr(s), day(s)); {@code #} comments, trailing commas, sets over
 * several lines, and {@code @load restricted-outgoing}. Files are read in order, as Bro loads them.
 */
public final class BroScriptImporter {
  /** A script larger than this is not a settings file; it is reported, not read (the importer's memory stays bounded). */
  public static final int MAX_SCRIPT_CHARS = 4 << 20;
  private static final String MODULE = "RestrictedOutgoing::";
  private static final String RESTRICTED = "restricted_outgoing_networks";
  private static final String DSTS = "allowed_outgoing_dsts";
  private static final String SERVICES = "allowed_outgoing_network_service_pairs";
  private static final String PAIRS = "allowed_outgoing_dst_pairs";
  private static final String TIMEOUT = "restricted_connection_timeout";
  private static final String LOCAL_NETS = "Site::local_nets";
  private static final Map<String, Long> UNIT_MICROS = Map.ofEntries(
      Map.entry("usec", 1L), Map.entry("usecs", 1L), Map.entry("msec", 1_000L), Map.entry("msecs", 1_000L),
      Map.entry("sec", 1_000_000L), Map.entry("secs", 1_000_000L), Map.entry("min", 60_000_000L),
      Map.entry("mins", 60_000_000L), Map.entry("hr", 3_600_000_000L), Map.entry("hrs", 3_600_000_000L),
      Map.entry("day", 86_400_000_000L), Map.entry("days", 86_400_000_000L));

  /** The policy and what was not imported, in file and line order. */
  public record Result(ImportedPolicy policy, List<ImportProblem> problems) {
    public Result {
      problems = List.copyOf(problems);
    }
  }

  private final Set<String> restricted = new LinkedHashSet<>();
  private final Set<String> destinations = new LinkedHashSet<>();
  private final Set<AllowedService> services = new LinkedHashSet<>();
  private final Set<AllowedPair> pairs = new LinkedHashSet<>();
  private Set<String> localNets;
  private String suppressFor;
  private boolean restrictedSet;
  private final List<ImportProblem> problems = new ArrayList<>();
  // the statement being read
  private String file;
  private List<BroToken> tokens;
  private int at;

  private BroScriptImporter() {}

  /** Imports the scripts in order (later redefs act on what earlier ones set, as in Bro). */
  public static Result importScripts(List<ScriptText> scripts) {
    BroScriptImporter im = new BroScriptImporter();
    for (ScriptText s : scripts) im.script(s);
    if (im.restricted.isEmpty()) {
      String files = String.join(", ", scripts.stream().map(ScriptText::file).toList());
      // set but emptied (every element reported, or removed by -=) is as unusable as never set
      im.problems.add(new ImportProblem(files.isEmpty() ? "import-bro" : files, 0, im.restrictedSet
          ? MODULE + RESTRICTED + " ends up empty: the policy has no restricted_networks"
          : "no redef of " + MODULE + RESTRICTED + ": the policy has no restricted_networks"));
    }
    ImportedPolicy policy = new ImportedPolicy(ImportedPolicy.DEFAULT_NAME, List.copyOf(im.restricted), im.suppressFor,
        List.copyOf(im.destinations), List.copyOf(im.services), List.copyOf(im.pairs),
        im.localNets == null ? null : List.copyOf(im.localNets));
    return new Result(policy, im.problems);
  }

  private void script(ScriptText s) {
    file = s.file();
    String text = s.text() == null ? "" : s.text();
    if (text.length() > MAX_SCRIPT_CHARS) {
      problems.add(new ImportProblem(file, 0, "not read: " + text.length() + " characters (expected: at most "
          + MAX_SCRIPT_CHARS + " for a settings script)"));
      return;
    }
    tokens = BroLexer.tokens(text);
    at = 0;
    while (at < tokens.size()) statement();
  }

  // ---- statements

  private void statement() {
    BroToken first = tokens.get(at);
    if (first.is(Kind.DIRECTIVE)) {
      at++;
      directive(first);
    } else if (first.is(Kind.SEMI)) {
      at++; // an empty statement
    } else if (first.is(Kind.WORD) && first.text().equals("redef")) {
      redef(first);
    } else {
      skipStatement(first, "not imported: " + summary(at) + " (only redefs of the restricted-outgoing script's settings are)");
    }
  }

  private void directive(BroToken d) {
    String[] words = d.text().split("\\s+");
    if (words[0].equals("@load") && words.length == 2) {
      String path = words[1];
      String last = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.(bro|zeek)$", "");
      if (last.equals("restricted-outgoing") || last.equals("restricted_outgoing")) return; // the script being configured
    }
    problems.add(new ImportProblem(file, d.line(), "not imported: " + d.text()
        + " (flowsentry has the restricted-outgoing policy built in; other scripts have no equivalent)"));
  }

  private void redef(BroToken redef) {
    int start = at;
    at++;
    BroToken target = peek();
    if (target == null || !target.is(Kind.WORD)) {
      skipFrom(start, redef, "not imported: " + summary(start) + " (expected: redef NAME = VALUE;)");
      return;
    }
    at++;
    BroToken op = peek();
    if (op == null || !(op.is(Kind.ASSIGN) || op.is(Kind.ADD) || op.is(Kind.REMOVE))) {
      skipFrom(start, redef, "not imported: " + summary(start) + " (expected: =, += or -= after " + target.text() + ")");
      return;
    }
    at++;
    String name = target.text();
    String setting = name.startsWith(MODULE) ? name.substring(MODULE.length()) : name;
    switch (setting) {
      case RESTRICTED, DSTS, SERVICES, PAIRS, LOCAL_NETS -> setRedef(start, redef, setting, op);
      case TIMEOUT -> timeoutRedef(start, redef, op);
      default -> skipFrom(start, redef, "not imported: redef of " + name + " (flowsentry has no equivalent setting)");
    }
  }

  private void setRedef(int start, BroToken redef, String setting, BroToken op) {
    BroToken open = peek();
    if (open == null || !open.is(Kind.LBRACE)) {
      skipFrom(start, redef, "not imported: " + summary(start) + " (expected: a set in braces, { ... })");
      return;
    }
    at++;
    List<List<BroToken>> elements = new ArrayList<>();
    if (!setElements(elements)) {
      skipFrom(start, redef, "not imported: " + summary(start) + " (the set is not closed with } before the end of the file)");
      return;
    }
    expectSemicolon(open);
    // each element is checked first; a bad one is reported and left out, the rest still apply
    List<Object> values = new ArrayList<>();
    for (List<BroToken> e : elements) {
      Object v = element(setting, e);
      if (v != null) values.add(v);
    }
    apply(setting, op, values);
  }

  @SuppressWarnings("unchecked")
  private void apply(String setting, BroToken op, List<Object> values) {
    Set<Object> target = switch (setting) {
      case RESTRICTED -> (Set<Object>) (Set<?>) restricted;
      case DSTS -> (Set<Object>) (Set<?>) destinations;
      case SERVICES -> (Set<Object>) (Set<?>) services;
      case PAIRS -> (Set<Object>) (Set<?>) pairs;
      default -> {
        if (localNets == null) localNets = new LinkedHashSet<>();
        yield (Set<Object>) (Set<?>) localNets;
      }
    };
    if (setting.equals(RESTRICTED) && !op.is(Kind.REMOVE)) restrictedSet = true;
    if (op.is(Kind.ASSIGN)) target.clear();
    if (op.is(Kind.REMOVE)) values.forEach(target::remove);
    else target.addAll(values);
  }

  /**
   * Reads elements up to the set's closing brace (consumed): each a word or a bracketed tuple.
   * False when the text ends first.
   */
  private boolean setElements(List<List<BroToken>> elements) {
    List<BroToken> current = new ArrayList<>();
    int depth = 0;
    while (at < tokens.size()) {
      BroToken t = tokens.get(at++);
      if (depth == 0 && t.is(Kind.RBRACE)) {
        if (!current.isEmpty()) elements.add(current);
        return true;
      }
      if (depth == 0 && t.is(Kind.COMMA)) {
        if (!current.isEmpty()) elements.add(current); // "a, , b" and a trailing comma add nothing
        current = new ArrayList<>();
        continue;
      }
      if (t.is(Kind.LBRACK) || t.is(Kind.LPAREN) || t.is(Kind.LBRACE)) depth++;
      if ((t.is(Kind.RBRACK) || t.is(Kind.RPAREN) || t.is(Kind.RBRACE)) && depth > 0) depth--;
      current.add(t);
    }
    return false;
  }

  private void expectSemicolon(BroToken after) {
    BroToken t = peek();
    if (t != null && t.is(Kind.SEMI)) {
      at++;
    } else {
      // Bro would not load the script; the set itself was read, so it is imported and the slip reported
      problems.add(new ImportProblem(file, t == null ? after.line() : t.line(), "expected ; after the set"));
    }
  }

  /** One set element as its flowsentry value, or null when reported. */
  private Object element(String setting, List<BroToken> e) {
    int line = e.getFirst().line();
    String label = settingLabel(setting);
    if (setting.equals(SERVICES) || setting.equals(PAIRS)) {
      List<String> parts = tuple(e);
      if (parts == null || parts.size() != 2) {
        problem(line, label + ": " + text(e) + " is not imported (expected: " + (setting.equals(SERVICES)
            ? "[subnet, port/proto] such as [192.168.4.7/32, 25/tcp]" : "[host, host] of addresses, subnets or hostnames") + ")");
        return null;
      }
      return setting.equals(SERVICES) ? service(line, label, parts.get(0), parts.get(1)) : pair(line, label, parts.get(0), parts.get(1));
    }
    if (e.size() != 1 || !e.getFirst().is(Kind.WORD)) {
      problem(line, label + ": " + text(e) + " is not imported (expected: a subnet such as 192.168.4.0/24 or an address)");
      return null;
    }
    String v = e.getFirst().text();
    if (!isCidr(v)) {
      String why = Cidr.looksLikeAddress(v) ? "not a valid address or subnet"
          : "a hostname, and this set holds subnets" + (setting.equals(DSTS)
              ? " (a hostname destination goes in allowed_outgoing_dst_pairs / flowsentry's allowed_pairs)" : "");
      problem(line, label + ": " + v + " is not imported: " + why);
      return null;
    }
    return v;
  }

  /** The two sides of {@code [a, b]}, each one word; null when it is not that shape. */
  private static List<String> tuple(List<BroToken> e) {
    if (e.size() != 5 || !e.get(0).is(Kind.LBRACK) || !e.get(1).is(Kind.WORD) || !e.get(2).is(Kind.COMMA)
        || !e.get(3).is(Kind.WORD) || !e.get(4).is(Kind.RBRACK)) {
      return null;
    }
    return List.of(e.get(1).text(), e.get(3).text());
  }

  private AllowedService service(int line, String label, String network, String port) {
    if (!isCidr(network)) {
      problem(line, label + ": [" + network + ", " + port + "] is not imported: " + network + " is not a subnet or address");
      return null;
    }
    String p = port.toLowerCase(Locale.ROOT);
    int slash = p.indexOf('/');
    // Bro's port literal is NUMBER/tcp|udp|icmp (for icmp the number is what Zeek records as the responder port, as flowsentry matches it)
    if (slash <= 0 || !p.substring(0, slash).chars().allMatch(Character::isDigit)) {
      problem(line, label + ": [" + network + ", " + port + "] is not imported: " + port + " is not a port such as 25/tcp");
      return null;
    }
    try {
      PortSpec.parse(p);
    } catch (IllegalArgumentException ex) {
      problem(line, label + ": [" + network + ", " + port + "] is not imported: " + port
          + " (flowsentry matches tcp, udp and icmp ports)");
      return null;
    }
    return new AllowedService(network, p);
  }

  private AllowedPair pair(int line, String label, String source, String destination) {
    AllowedPair pair = new AllowedPair(source, destination);
    List<String> bad = pair.validate("p");
    if (!bad.isEmpty()) {
      problem(line, label + ": [" + source + ", " + destination + "] is not imported: each side must be an address, a subnet or a hostname");
      return null;
    }
    return pair;
  }

  private void timeoutRedef(int start, BroToken redef, BroToken op) {
    if (!op.is(Kind.ASSIGN)) {
      skipFrom(start, redef, "not imported: " + summary(start) + " (expected: = INTERVAL for an interval)");
      return;
    }
    List<BroToken> value = new ArrayList<>();
    while (at < tokens.size() && !tokens.get(at).is(Kind.SEMI) && value.size() < 3) value.add(tokens.get(at++));
    BroToken semi = peek();
    String duration = value.stream().allMatch(t -> t.is(Kind.WORD)) ? interval(value) : null;
    if (semi == null || !semi.is(Kind.SEMI) || duration == null) {
      skipFrom(start, redef, "not imported: " + summary(start)
          + " (expected: an interval such as 120 secs, 2 mins, 500 msecs; flowsentry counts whole milliseconds)");
      return;
    }
    at++;
    suppressFor = duration;
  }

  /** {@code 120 secs}, {@code 120secs}, {@code 1.5 hrs} as flowsentry's duration text, or null. */
  private static String interval(List<BroToken> value) {
    String text = String.join("", value.stream().map(BroToken::text).toList()).toLowerCase(Locale.ROOT);
    int unitAt = 0;
    while (unitAt < text.length() && (Character.isDigit(text.charAt(unitAt)) || text.charAt(unitAt) == '.')) unitAt++;
    if (unitAt == 0 || unitAt > 18) return null;
    Long micros = UNIT_MICROS.get(text.substring(unitAt));
    if (micros == null) return null;
    BigDecimal n;
    try {
      n = new BigDecimal(text.substring(0, unitAt));
    } catch (NumberFormatException e) {
      return null;
    }
    BigDecimal totalMicros = n.multiply(BigDecimal.valueOf(micros));
    BigDecimal millis = totalMicros.divide(BigDecimal.valueOf(1000));
    if (millis.signum() < 0 || millis.stripTrailingZeros().scale() > 0 || millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE / 1000)) > 0) {
      return null;
    }
    long ms = millis.longValueExact();
    return io.flowsentry.collector.config.Durations.format(java.time.Duration.ofMillis(ms));
  }

  // ---- helpers

  private static boolean isCidr(String v) {
    if (!Cidr.looksLikeAddress(v)) return false;
    try {
      Cidr.parse(v);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String settingLabel(String setting) {
    return setting.equals(LOCAL_NETS) ? LOCAL_NETS : MODULE + setting;
  }

  private void problem(int line, String what) {
    problems.add(new ImportProblem(file, line, what));
  }

  private BroToken peek() {
    return at < tokens.size() ? tokens.get(at) : null;
  }

  private void skipFrom(int start, BroToken first, String what) {
    at = start;
    skipStatement(first, what);
  }

  /**
   * Reports the statement starting at {@code at} and moves past it: to its {@code ;} outside any
   * brackets, or past a brace block that closes at the top level (a function or event body has no
   * {@code ;} after it), whichever comes first.
   */
  private void skipStatement(BroToken first, String what) {
    problems.add(new ImportProblem(file, first.line(), what));
    int start = at;
    int depth = 0;
    while (at < tokens.size()) {
      BroToken t = tokens.get(at++);
      if (t.is(Kind.LBRACE) || t.is(Kind.LBRACK) || t.is(Kind.LPAREN)) depth++;
      else if (t.is(Kind.RBRACE) || t.is(Kind.RBRACK) || t.is(Kind.RPAREN)) {
        if (depth > 0) depth--;
        if (depth == 0 && t.is(Kind.RBRACE)) {
          if (at < tokens.size() && tokens.get(at).is(Kind.SEMI)) at++;
          return;
        }
      } else if (depth == 0 && t.is(Kind.SEMI)) {
        return;
      } else if (depth == 0 && t.is(Kind.DIRECTIVE)) {
        // a directive is a line of its own: the statement ended without its ; (the directive is read next)
        if (at - 1 > start) at--;
        return;
      }
    }
  }

  /** The statement's first tokens, for a message. */
  private String summary(int from) {
    StringBuilder sb = new StringBuilder();
    for (int i = from; i < tokens.size() && sb.length() < 100; i++) {
      BroToken t = tokens.get(i);
      if (i > from) sb.append(' ');
      sb.append(t.is(Kind.STRING) ? "\"" + t.text() + "\"" : t.text());
      if (t.is(Kind.SEMI) || t.is(Kind.LBRACE)) break;
    }
    return sb.length() >= 100 ? sb + " ..." : sb.toString();
  }

  private static String text(List<BroToken> e) {
    StringBuilder sb = new StringBuilder();
    for (BroToken t : e) {
      if (!sb.isEmpty() && !t.is(Kind.COMMA) && !t.is(Kind.RBRACK) && sb.charAt(sb.length() - 1) != '[') sb.append(' ');
      sb.append(t.text());
      if (sb.length() > 80) return sb.substring(0, 80) + " ...";
    }
    return sb.toString();
  }
}
