package io.flowsentry.app.importbro;

import io.flowsentry.app.importbro.BroToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits script text into {@link BroToken}s. Only what redef lines of the restricted-outgoing
 * script need is told apart; anything else becomes a word or a one-character {@link Kind#OTHER}
 * token, which the parser reports. Every step consumes at least one character, so the token count
 * is bounded by the text's length.
 */
final class BroLexer {
  private final String s;
  private int at;
  private int line = 1;
  private final List<BroToken> out = new ArrayList<>();

  private BroLexer(String text) {
    this.s = text;
  }

  static List<BroToken> tokens(String text) {
    BroLexer l = new BroLexer(text);
    l.run();
    return l.out;
  }

  private void run() {
    while (at < s.length()) {
      char c = s.charAt(at);
      if (c == '\n') {
        line++;
        at++;
      } else if (Character.isWhitespace(c)) {
        at++;
      } else if (c == '#') {
        skipToEndOfLine();
      } else if (c == '@') {
        int start = at;
        skipToEndOfLine();
        String directive = s.substring(start, at);
        int hash = directive.indexOf('#');
        add(Kind.DIRECTIVE, (hash < 0 ? directive : directive.substring(0, hash)).strip());
      } else if (c == '"') {
        string();
      } else if (c == '[' && ipv6Literal()) {
        // consumed by ipv6Literal: Zeek writes IPv6 addresses and subnets as [2001:db8::1] and [2001:db8::]/32
      } else if (isWordChar(c) && !(c == '-' || c == '+') ) {
        word();
      } else if ((c == '+' || c == '-') && at + 1 < s.length() && s.charAt(at + 1) == '=') {
        add(c == '+' ? Kind.ADD : Kind.REMOVE, c + "=");
        at += 2;
      } else {
        Kind k = switch (c) {
          case '{' -> Kind.LBRACE;
          case '}' -> Kind.RBRACE;
          case '[' -> Kind.LBRACK;
          case ']' -> Kind.RBRACK;
          case '(' -> Kind.LPAREN;
          case ')' -> Kind.RPAREN;
          case ',' -> Kind.COMMA;
          case ';' -> Kind.SEMI;
          case '=' -> Kind.ASSIGN;
          default -> Kind.OTHER;
        };
        add(k, String.valueOf(c));
        at++;
      }
    }
  }

  private void add(Kind kind, String text) {
    out.add(new BroToken(kind, text, line));
  }

  private void skipToEndOfLine() {
    while (at < s.length() && s.charAt(at) != '\n') at++;
  }

  /** A string literal on one line; an unterminated one ends at the line's end and is an OTHER token. */
  private void string() {
    int start = ++at;
    while (at < s.length() && s.charAt(at) != '"' && s.charAt(at) != '\n') {
      if (s.charAt(at) == '\\' && at + 1 < s.length() && s.charAt(at + 1) != '\n') at++;
      at++;
    }
    if (at < s.length() && s.charAt(at) == '"') {
      add(Kind.STRING, s.substring(start, at));
      at++;
    } else {
      add(Kind.OTHER, "\"" + s.substring(start, at));
    }
  }

  /** Letters, digits and the characters of addresses, subnets, ports, hostnames and {@code Module::name}. */
  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c == '*';
  }

  private void word() {
    int start = at;
    while (at < s.length() && isWordChar(s.charAt(at))) {
      // "x-=" is a removal after the word, not part of it
      if (s.charAt(at) == '-' && at + 1 < s.length() && s.charAt(at + 1) == '=') break;
      at++;
    }
    add(Kind.WORD, s.substring(start, at));
  }

  /** {@code [hex:colons.dots]} optionally followed by {@code /len}: one word without the brackets. */
  private boolean ipv6Literal() {
    int close = -1;
    boolean colon = false;
    for (int i = at + 1; i < s.length() && i <= at + 46; i++) {
      char c = s.charAt(i);
      if (c == ']') {
        close = i;
        break;
      }
      if (c == ':') colon = true;
      else if (!(Character.digit(c, 16) >= 0 || c == '.')) return false;
    }
    if (close < 0 || !colon) return false;
    StringBuilder w = new StringBuilder(s.substring(at + 1, close));
    int end = close + 1;
    if (end < s.length() && s.charAt(end) == '/') {
      int digits = end + 1;
      while (digits < s.length() && digits <= end + 3 && Character.isDigit(s.charAt(digits))) digits++;
      w.append(s, end, digits);
      end = digits;
    }
    add(Kind.WORD, w.toString());
    at = end;
    return true;
  }
}
