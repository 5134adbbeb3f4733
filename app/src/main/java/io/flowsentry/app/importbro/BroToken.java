package io.flowsentry.app.importbro;

/**
 * One lexical token of Bro/Zeek script text.
 *
 * @param text the token as written (for {@link Kind#WORD} an identifier, number, address, subnet,
 *     hostname or port such as {@code 25/tcp}; bracketed IPv6 literals come without their brackets)
 * @param line 1-based line it starts on
 */
record BroToken(Kind kind, String text, int line) {
  enum Kind { WORD, STRING, DIRECTIVE, LBRACE, RBRACE, LBRACK, RBRACK, LPAREN, RPAREN, COMMA, SEMI, ASSIGN, ADD, REMOVE, OTHER }

  boolean is(Kind k) {
    return kind == k;
  }
}
