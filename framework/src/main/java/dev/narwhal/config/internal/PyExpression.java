package dev.narwhal.config.internal;

import dev.narwhal.config.SettingsException;
import dev.narwhal.config.internal.PyTokenizer.Kind;
import dev.narwhal.config.internal.PyTokenizer.Token;
import dev.narwhal.config.internal.PyValues.Callable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API. Parses and evaluates one Python expression in a single recursive-descent pass
 * (there is no tree: a config file's expressions are evaluated once). The grammar, loosest first:
 * {@code a if c else b}; {@code or}; {@code and}; {@code not}; comparisons ({@code == != < > <= >=
 * in, not in}); {@code + -}; {@code * / // %}; unary {@code - +}; {@code **}; calls, attributes
 * and subscripts; literals, names, parenthesised tuples, lists and dicts.
 */
public final class PyExpression {
  private final List<Token> tokens;
  private final PyScope scope;
  private final int line;
  private int pos;

  private PyExpression(List<Token> tokens, PyScope scope, int line) {
    this.tokens = tokens;
    this.scope = scope;
    this.line = line;
  }

  /** Evaluates {@code tokens} (all of them: a tuple when separated by commas). */
  public static Object evaluate(List<Token> tokens, PyScope scope, int line) {
    PyExpression e = new PyExpression(tokens, scope, line);
    if (tokens.isEmpty()) {
      throw e.error("expected an expression");
    }
    Object value = e.tupleOrValue();
    if (e.pos < tokens.size()) {
      throw e.error("cannot evaluate '" + tokens.get(e.pos).text() + "' here");
    }
    return value;
  }

  private SettingsException error(String reason) {
    return scope.error(pos < tokens.size() ? tokens.get(pos).line() : line, reason);
  }

  private Token peek() {
    return pos < tokens.size() ? tokens.get(pos) : null;
  }

  private boolean accept(String op) {
    Token t = peek();
    if (t != null && t.kind() != Kind.STRING && t.is(op)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(String op) {
    if (!accept(op)) {
      throw error("expected '" + op + "'" + (peek() == null ? " at the end" : ", found '" + peek().text() + "'"));
    }
  }

  private Object tupleOrValue() {
    Object first = value();
    if (peek() == null || !peek().is(",")) {
      return first;
    }
    List<Object> items = new ArrayList<>(List.of(first));
    while (accept(",") && peek() != null && !isCloser(peek())) {
      items.add(value());
    }
    return List.copyOf(items);
  }

  private static boolean isCloser(Token t) {
    return t.kind() == Kind.OP && (t.text().equals(")") || t.text().equals("]") || t.text().equals("}"));
  }

  private Object value() {
    if (peek() != null && peek().is("lambda")) {
      throw error("lambda cannot be evaluated without running Python");
    }
    Object then = or();
    if (!accept("if")) {
      return then;
    }
    boolean condition = PyValues.truthy(or());
    expect("else");
    Object otherwise = value();
    return condition ? then : otherwise;
  }

  private Object or() {
    Object left = and();
    while (accept("or")) {
      Object right = and();
      left = PyValues.truthy(left) ? left : right;
    }
    return left;
  }

  private Object and() {
    Object left = not();
    while (accept("and")) {
      Object right = not();
      left = PyValues.truthy(left) ? right : left;
    }
    return left;
  }

  private Object not() {
    return accept("not") ? !PyValues.truthy(not()) : comparison();
  }

  private Object comparison() {
    Object left = arith();
    Token t = peek();
    if (t == null || t.kind() == Kind.STRING || !List.of("==", "!=", "<", ">", "<=", ">=", "in", "not").contains(t.text())) {
      return left;
    }
    pos++;
    String op = t.text().equals("not") ? "not in" : t.text();
    if (op.equals("not in")) {
      expect("in");
    }
    Object right = arith();
    Boolean result = PyValues.compare(op, left, right);
    if (result == null) {
      throw error("cannot compare " + PyValues.typeName(left) + " and " + PyValues.typeName(right) + " with " + op);
    }
    return result;
  }

  private Object arith() {
    Object left = term();
    while (peek() != null && (peek().is("+") || peek().is("-")) && peek().kind() == Kind.OP) {
      String op = tokens.get(pos++).text();
      left = binary(op, left, term());
    }
    return left;
  }

  private Object term() {
    Object left = unary();
    while (peek() != null && peek().kind() == Kind.OP && List.of("*", "/", "//", "%").contains(peek().text())) {
      String op = tokens.get(pos++).text();
      Object right = unary();
      left = op.equals("%") && left instanceof String format
          ? PyFormat.percent(format, right, scope, line)
          : binary(op, left, right);
    }
    return left;
  }

  private Object unary() {
    if (peek() != null && peek().kind() == Kind.OP && (peek().is("-") || peek().is("+"))) {
      boolean negate = tokens.get(pos++).text().equals("-");
      Object operand = unary();
      return negate ? binary("*", -1L, operand) : binary("*", 1L, operand);
    }
    return power();
  }

  private Object power() {
    Object base = primary();
    return accept("**") ? binary("**", base, unary()) : base;
  }

  private Object binary(String op, Object left, Object right) {
    if ((op.equals("/") || op.equals("//") || op.equals("%")) && PyValues.number(right) != null
        && PyValues.number(right).doubleValue() == 0) {
      throw error("division by zero");
    }
    Object result = PyValues.arithmetic(op, left, right);
    if (result == null) {
      throw error("unsupported operand types for " + op + ": " + PyValues.typeName(left) + " and "
          + PyValues.typeName(right));
    }
    return result;
  }

  private Object primary() {
    Object value = atom();
    while (true) {
      if (accept(".")) {
        Token name = peek();
        if (name == null || name.kind() != Kind.NAME) {
          throw error("expected a name after '.'");
        }
        pos++;
        value = PyBuiltins.attribute(value, name.text(), scope, name.line());
      } else if (accept("(")) {
        List<Object> args = new ArrayList<>();
        Map<String, Object> kwargs = new LinkedHashMap<>();
        while (!accept(")")) {
          Token t = peek();
          if (t != null && t.kind() == Kind.NAME && pos + 1 < tokens.size() && tokens.get(pos + 1).is("=")) {
            pos += 2;
            kwargs.put(t.text(), value());
          } else {
            args.add(value());
          }
          if (!accept(",")) {
            expect(")");
            break;
          }
        }
        if (!(value instanceof Callable || value instanceof PyValues.Module)) {
          throw error("'" + PyValues.typeName(value) + "' object is not callable");
        }
        value = PyBuiltins.call(value, args, kwargs, scope, line);
      } else if (accept("[")) {
        Object key = tupleOrValue();
        expect("]");
        value = PyBuiltins.subscript(value, key, scope, line);
      } else {
        return value;
      }
    }
  }

  private Object atom() {
    Token t = peek();
    if (t == null) {
      throw error("expected a value at the end of the line");
    }
    pos++;
    if (t.kind() == Kind.NUMBER) {
      return PyBuiltins.number(t, scope);
    }
    if (t.kind() == Kind.STRING) {
      StringBuilder joined = new StringBuilder(text(t));
      while (peek() != null && peek().kind() == Kind.STRING) { // "a" "b" is "ab"
        joined.append(text(tokens.get(pos++)));
      }
      return joined.toString();
    }
    if (t.kind() == Kind.NAME) {
      return switch (t.text()) {
        case "True" -> true;
        case "False" -> false;
        case "None" -> PyValues.NONE;
        default -> scope.lookup(t.text(), t.line());
      };
    }
    return bracketed(t);
  }

  private Object bracketed(Token open) {
    refuseComprehension();
    switch (open.text()) {
      case "(" -> {
        if (accept(")")) {
          return List.of();
        }
        Object inside = tupleOrValue();
        expect(")");
        return inside;
      }
      case "[" -> {
        List<Object> items = new ArrayList<>();
        while (!accept("]")) {
          items.add(value());
          if (!accept(",")) {
            expect("]");
            break;
          }
        }
        return List.copyOf(items);
      }
      case "{" -> {
        Map<Object, Object> map = new LinkedHashMap<>();
        while (!accept("}")) {
          Object key = value();
          expect(":");
          map.put(key, value());
          if (!accept(",")) {
            expect("}");
            break;
          }
        }
        return map;
      }
      default -> {
        pos--;
        throw error("cannot evaluate '" + open.text() + "' here");
      }
    }
  }

  /** A {@code for} inside the brackets just opened is a comprehension: it would need Python. */
  private void refuseComprehension() {
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

  private String text(Token t) {
    if (t.prefix().contains("b")) {
      throw scope.error(t.line(), "bytes literals have no Narwhal equivalent");
    }
    return t.prefix().contains("f") ? PyFormat.fString(t.text(), scope, t.line()) : t.text();
  }
}
