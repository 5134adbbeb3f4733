package io.flowsentry.app.ops;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough PromQL lexing to name the metrics an expression selects and the Grafana variables it
 * uses. it/prometheus/promql.py does the same for check.sh; Prometheus itself is the parser of
 * record there.
 */
final class Promql {
  /** $name, ${name}, ${name:format}, [[name]]. */
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{(\\w+)(?::[\\w:]+)?}|\\[\\[(\\w+)(?::\\w+)?]]|\\$(\\w+)");
  private static final Pattern TOKEN = Pattern.compile(String.join("|",
      "(?<ws>\\s+)",
      "(?<str>\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'|`[^`]*`)",
      "(?<var>\\$\\{[^}]*}|\\[\\[[^]]*]]|\\$\\w+)",
      "(?<num>0[xX][0-9a-fA-F]+|(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?(?:(?:ms|s|m|h|d|w|y)(?:\\d+(?:ms|s|m|h|d|w|y))*)?)",
      "(?<ident>[a-zA-Z_:][a-zA-Z0-9_:]*)",
      "(?<op>==|!=|>=|<=|=~|!~|[-+*/%^<>=,(){}\\[\\]@:])"));
  private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right");
  private static final Set<String> KEYWORDS = Set.of("bool", "and", "or", "unless", "offset", "atan2", "inf", "nan", "start", "end");

  private Promql() {}

  record Token(String kind, String text) {}

  static List<Token> tokens(String expr) {
    List<Token> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(expr);
    int pos = 0;
    while (pos < expr.length()) {
      m.region(pos, expr.length());
      if (!m.lookingAt() || m.end() == pos) {
        throw new IllegalArgumentException("cannot lex PromQL at offset " + pos + ": " + expr);
      }
      String kind = kindOf(m);
      if (!kind.equals("ws")) {
        out.add(new Token(kind, m.group()));
      }
      pos = m.end();
    }
    return out;
  }

  /** Metric names: identifiers outside label matchers, ranges, label lists and function calls. */
  static Set<String> metricNames(String expr) {
    List<Token> toks = tokens(expr);
    Set<String> names = new LinkedHashSet<>();
    int inner = 0;
    for (int i = 0; i < toks.size(); i++) {
      Token t = toks.get(i);
      String next = i + 1 < toks.size() ? toks.get(i + 1).text() : "";
      if (t.kind().equals("op") && (t.text().equals("{") || t.text().equals("["))) {
        inner++;
      } else if (t.kind().equals("op") && (t.text().equals("}") || t.text().equals("]"))) {
        inner--;
      } else if (t.kind().equals("ident") && inner == 0) {
        String word = t.text().toLowerCase(Locale.ROOT);
        if (LABEL_LISTS.contains(word) && next.equals("(")) {
          i = closingParen(toks, i + 1);
        } else if (!next.equals("(") && !next.equals("by") && !next.equals("without") && !KEYWORDS.contains(word)) {
          names.add(t.text());
        }
      }
    }
    return names;
  }

  /** Names of the Grafana variables a text uses. */
  static Set<String> variables(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = VARIABLE.matcher(text);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }
    return out;
  }

  private static int closingParen(List<Token> toks, int open) {
    int depth = 0;
    for (int j = open; j < toks.size(); j++) {
      String text = toks.get(j).text();
      if (text.equals("(")) {
        depth++;
      } else if (text.equals(")") && --depth == 0) {
        return j;
      }
    }
    throw new IllegalArgumentException("unbalanced parentheses");
  }

  private static String kindOf(Matcher m) {
    for (String kind : List.of("ws", "str", "var", "num", "ident", "op")) {
      if (m.group(kind) != null) {
        return kind;
      }
    }
    throw new IllegalStateException("no token group matched");
  }
}
