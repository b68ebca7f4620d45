package dev.narwhal.config.internal;

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
public final class PyExpression extends PyCursor {
  private PyExpression(List<Token> tokens, PyScope scope, int line) {
    super(tokens, scope, line);
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

  private Object value() {
    if (peek() != null && peek().is("lambda")) {
      throw error("lambda cannot be evaluated without running Python");
    }
    if (!keywordAhead("if")) {
      return or();
    }
    int then = pos; // Python evaluates the condition first, then only the branch it picks
    skip(this::or);
    expect("if");
    boolean condition = PyValues.truthy(or());
    expect("else");
    if (!condition) {
      return value();
    }
    int end = pos;
    pos = then;
    Object chosen = or();
    pos = end;
    skip(this::value);
    return chosen;
  }

  /** Parses what Python would not evaluate, without evaluating it. */
  private void skip(java.util.function.Supplier<Object> part) {
    dry++;
    try {
      part.get();
    } finally {
      dry--;
    }
  }

  private Object or() {
    Object left = and();
    while (accept("or")) {
      if (PyValues.truthy(left)) {
        skip(this::and);
      } else {
        left = and();
      }
    }
    return left;
  }

  private Object and() {
    Object left = not();
    while (accept("and")) {
      if (PyValues.truthy(left)) {
        left = not();
      } else {
        skip(this::not);
      }
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
    if (right instanceof PyValues.Module m && m.name().equals("os.environ") && op.endsWith("in")) {
      return scope.env().containsKey(PyValues.str(left)) == op.equals("in");
    }
    Boolean result = dry() ? Boolean.FALSE : PyValues.compare(op, left, right);
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
      left = op.equals("%") && left instanceof String format && !dry()
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
    if (dry()) {
      return PyValues.NONE;
    }
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
        value = dry() ? PyValues.NONE : PyBuiltins.attribute(value, name.text(), scope, name.line());
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
        if (dry()) {
          value = PyValues.NONE;
        } else if (!(value instanceof Callable || value instanceof PyValues.Module)) {
          throw error("'" + PyValues.typeName(value) + "' object is not callable");
        } else {
          value = PyBuiltins.call(value, args, kwargs, scope, line);
        }
      } else if (accept("[")) {
        Object key = tupleOrValue();
        expect("]");
        value = dry() ? PyValues.NONE : PyBuiltins.subscript(value, key, scope, line);
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
        default -> dry() ? PyValues.NONE : scope.lookup(t.text(), t.line());
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

  private String text(Token t) {
    if (t.prefix().contains("b")) {
      throw scope.error(t.line(), "bytes literals have no Narwhal equivalent");
    }
    return t.prefix().contains("f") && !dry() ? PyFormat.fString(t.text(), scope, t.line()) : t.text();
  }
}
