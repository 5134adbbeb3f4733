package io.flowsentry.app.importbro;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts an imported policy into an existing configuration file's text, keeping every comment.
 *
 * <p>Why text and not YAML: reading the file into a tree and writing it back would drop every
 * comment (Jackson and SnakeYAML keep none), and the shipped configuration is mostly comments. So
 * the file is cut into top-level sections by the lines that start a top-level key in column 0; the
 * {@code policies:} section is replaced by the imported one, and the section it replaced stays
 * right after it, commented out line by line, so nothing the operator wrote is lost and a diff
 * shows exactly what changed. {@code site.local_networks} (from {@code Site::local_nets}) is
 * replaced the same way inside the {@code site:} section: the key's line and its continuation
 * lines, the old ones kept commented out. Column-0 comments and blank lines just before a
 * top-level key belong to that key's section, as they usually describe it. Every other line of the
 * file is kept byte for byte. The caller validates the result before writing it.
 */
public final class ConfigFileEdit {
  private static final Pattern TOP_LEVEL_KEY = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*:(.*)$");
  static final String MARK = "# flowsentry import-bro: ";

  /** The file cannot be edited as text (e.g. {@code site} written as a one-line flow mapping). */
  public static final class EditException extends Exception {
    EditException(String message) {
      super(message);
    }
  }

  private ConfigFileEdit() {}

  /**
   * @param policiesSection the new {@code policies:} section, from {@link PolicyYaml#policiesSection}
   * @param localNetworks the new {@code site.local_networks}, or null to leave the site alone
   * @param from what the import read, named in the comment over the new section
   */
  public static String apply(String original, String policiesSection, List<String> localNetworks, String from)
      throws EditException {
    List<String> lines = new ArrayList<>(original.lines().toList());
    replacePolicies(lines, policiesSection, from);
    if (localNetworks != null) replaceLocalNetworks(lines, localNetworks, from);
    return String.join("\n", lines) + "\n";
  }

  private static void replacePolicies(List<String> lines, String section, String from) {
    int[] span = section(lines, "policies");
    List<String> replacement = new ArrayList<>();
    replacement.add(MARK + "policies imported from " + from);
    replacement.addAll(section.lines().toList());
    if (span == null) {
      if (!lines.isEmpty() && !lines.getLast().isBlank()) lines.add("");
      lines.addAll(replacement);
      return;
    }
    replacement.add(MARK + "the policies section it replaced:");
    for (int i = span[0]; i < span[1]; i++) replacement.add(commentOut(lines.get(i)));
    replaceRange(lines, span[0], span[1], replacement);
  }

  private static void replaceLocalNetworks(List<String> lines, List<String> networks, String from) throws EditException {
    String value = flowList(networks);
    int[] span = section(lines, "site");
    if (span == null) {
      if (!lines.isEmpty() && !lines.getLast().isBlank()) lines.add("");
      lines.add(MARK + "site.local_networks imported from " + from);
      lines.add("site:");
      lines.add("  local_networks: " + value);
      return;
    }
    Matcher head = TOP_LEVEL_KEY.matcher(lines.get(span[0]));
    if (head.matches() && !stripComment(head.group(2)).isBlank()) {
      throw new EditException("site is written on one line (" + lines.get(span[0]).strip()
          + "); write it as a block with one key per line, or set site.local_networks to " + value + " by hand");
    }
    String indent = childIndent(lines, span);
    Pattern key = Pattern.compile("^" + Pattern.quote(indent) + "local_networks\\s*:.*$");
    for (int i = span[0] + 1; i < span[1]; i++) {
      if (!key.matcher(lines.get(i)).matches()) continue;
      int end = i + 1;
      while (end < span[1] && continues(lines.get(end), indent)) end++;
      List<String> replacement = new ArrayList<>();
      replacement.add(indent + MARK + "imported from " + from + "; it replaced:");
      for (int j = i; j < end; j++) replacement.add(indent + commentOut(lines.get(j).substring(indent.length())));
      replacement.add(indent + "local_networks: " + value);
      replaceRange(lines, i, end, replacement);
      return;
    }
    lines.add(span[0] + 1, indent + "local_networks: " + value + "  " + MARK.strip() + " imported from " + from);
  }

  /** [first line, end) of the top-level key's section, or null when the file has none. */
  private static int[] section(List<String> lines, String name) {
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = TOP_LEVEL_KEY.matcher(lines.get(i));
      if (!m.matches()) continue;
      if (start >= 0) return new int[] {start, ownedEnd(lines, start, i)};
      if (m.group(1).equals(name)) start = i;
    }
    return start < 0 ? null : new int[] {start, ownedEnd(lines, start, lines.size())};
  }

  /** The section ends before the column-0 comments and blank lines that lead into the next key. */
  private static int ownedEnd(List<String> lines, int start, int next) {
    int end = next;
    if (next == lines.size()) return end;
    while (end - 1 > start && (lines.get(end - 1).isBlank() || lines.get(end - 1).startsWith("#"))) end--;
    return end;
  }

  private static String childIndent(List<String> lines, int[] span) {
    for (int i = span[0] + 1; i < span[1]; i++) {
      String l = lines.get(i);
      if (l.isBlank() || l.strip().startsWith("#")) continue;
      return l.substring(0, l.length() - l.stripLeading().length());
    }
    return "  ";
  }

  /** A continuation of a key's value: more indented, or a block sequence item at the key's own indentation. */
  private static boolean continues(String line, String indent) {
    if (line.isBlank()) return false;
    String lead = line.substring(0, line.length() - line.stripLeading().length());
    return lead.length() > indent.length() || (lead.equals(indent) && line.stripLeading().startsWith("- "));
  }

  private static String flowList(List<String> values) {
    List<String> quoted = values.stream().map(v -> v.indexOf(':') >= 0 ? "\"" + v + "\"" : v).toList();
    return "[" + String.join(", ", quoted) + "]";
  }

  private static String stripComment(String value) {
    int hash = value.indexOf(" #");
    return hash < 0 ? (value.strip().startsWith("#") ? "" : value) : value.substring(0, hash);
  }

  private static String commentOut(String line) {
    return line.isEmpty() ? "#" : "# " + line;
  }

  private static void replaceRange(List<String> lines, int from, int to, List<String> replacement) {
    lines.subList(from, to).clear();
    lines.addAll(from, replacement);
  }
}
