package dev.narwhal.config.internal;

import dev.narwhal.config.SettingsException;
import dev.narwhal.config.internal.PyTokenizer.Kind;
import dev.narwhal.config.internal.PyTokenizer.Token;
import java.util.List;

/**
 * INTERNAL API. The token cursor under {@link PyExpression}: where it is, what comes next, errors
 * at the current token's line, and look-aheads over the rest of the current expression.
 *
 * <p>{@link #dry} counts how deep the parser is inside a branch Python would not evaluate (the
 * other side of {@code a if c else b}, the right of a short-circuited {@code or}/{@code and}):
 * there it parses without evaluating, so {@code os.environ["X"] if "X" in os.environ else "d"}
 * does not fail on the branch not taken.
 */
abstract class PyCursor {
  final List<Token> tokens;
  final PyScope scope;
  final int line;
  int pos;
  int dry;

  PyCursor(List<Token> tokens, PyScope scope, int line) {
    this.tokens = tokens;
    this.scope = scope;
    this.line = line;
  }

  final boolean dry() {
    return dry > 0;
  }

  final SettingsException error(String reason) {
    return scope.error(pos < tokens.size() ? tokens.get(pos).line() : line, reason);
  }

  final Token peek() {
    return pos < tokens.size() ? tokens.get(pos) : null;
  }

  final boolean accept(String op) {
    Token t = peek();
    if (t != null && t.kind() != Kind.STRING && t.is(op)) {
      pos++;
      return true;
    }
    return false;
  }

  final void expect(String op) {
    if (!accept(op)) {
      throw error("expected '" + op + "'" + (peek() == null ? " at the end" : ", found '" + peek().text() + "'"));
    }
  }

  static boolean isCloser(Token t) {
    return t.kind() == Kind.OP && (t.text().equals(")") || t.text().equals("]") || t.text().equals("}"));
  }

  /** Whether a keyword appears before the current expression ends (a comma, colon or closer at its depth). */
  final boolean keywordAhead(String keyword) {
    int depth = 0;
    for (int i = pos; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.OP) {
        if (depth == 0 && (t.text().equals(",") || t.text().equals(":") || isCloser(t))) {
          return false;
        }
        depth += "([{".contains(t.text()) ? 1 : isCloser(t) ? -1 : 0;
      } else if (depth == 0 && t.kind() == Kind.NAME && t.text().equals(keyword)) {
        return true;
      }
    }
    return false;
  }

  /** A {@code for} inside the brackets just opened is a comprehension: it would need Python. */
  final void refuseComprehension() {
    int depth = 0;
    for (int i = pos; i < tokens.size() && depth >= 0; i++) {
      Token t = tokens.get(i);
      if (t.kind() == Kind.OP) {
        depth += "([{".contains(t.text()) ? 1 : ")]}".contains(t.text()) ? -1 : 0;
      } else if (depth == 0 && t.kind() == Kind.NAME && t.text().equals("for")) {
        throw scope.error(t.line(), "comprehensions cannot be evaluated without running Python");
      }
    }
  }
}
