package dev.narwhal.config.internal;

import dev.narwhal.config.internal.PyTokenizer.Kind;
import dev.narwhal.config.internal.PyTokenizer.Line;
import dev.narwhal.config.internal.PyTokenizer.Token;
import dev.narwhal.config.internal.PyValues.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INTERNAL API. Reads a Python module the way a config file uses it, without running Python:
 * {@code import a.b [as c]}, {@code from a import b [as c]}, {@code NAME = expression} (also
 * {@code a = b = ...}, {@code a, b = x, y} and {@code +=} etc.), function definitions (recorded,
 * their bodies skipped), docstrings and {@code pass}. Any other statement ({@code if}, {@code for},
 * {@code class}, {@code try}, a bare call...) is an error naming its line.
 */
public final class PyModule {
  /** A module-level name's final value and the line that last assigned it. */
  public record Assignment(String name, Object value, int line) {}

  /** A module-level {@code def}. */
  public record Function(String name, int line) {}

  private final Map<String, Assignment> assignments = new LinkedHashMap<>();
  private final List<Function> functions = new ArrayList<>();
  private final PyScope scope;

  private PyModule(PyScope scope) {
    this.scope = scope;
  }

  /** Evaluates the module's text; {@code file} names it in errors. */
  public static PyModule read(String text, String file, Map<String, String> env) {
    PyModule module = new PyModule(new PyScope(file, env));
    List<Line> lines = PyTokenizer.lines(text, file);
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      if (line.indent() > 0) {
        throw module.scope.error(line.number(), "unexpected indentation at module level");
      }
      if (line.tokens().get(0).is("def") || line.tokens().get(0).is("async")) {
        module.define(line);
        while (i + 1 < lines.size() && lines.get(i + 1).indent() > 0) {
          i++; // the body: not carried over, never evaluated
        }
        continue;
      }
      module.statement(line);
    }
    return module;
  }

  /** Assignments in the order of their last assignment, each with its last value. */
  public List<Assignment> assignments() {
    return List.copyOf(assignments.values());
  }

  public List<Function> functions() {
    return List.copyOf(functions);
  }

  private void define(Line line) {
    List<Token> t = line.tokens();
    int at = t.get(0).is("async") ? 2 : 1;
    if (t.size() <= at || t.get(at).kind() != Kind.NAME) {
      throw scope.error(line.number(), "expected a function name after 'def'");
    }
    functions.add(new Function(t.get(at).text(), line.number()));
    scope.define(t.get(at).text(), new PyValues.Callable(t.get(at).text() + " (defined in the file)", null));
  }

  private void statement(Line line) {
    List<Token> t = line.tokens();
    Token first = t.get(0);
    if (first.is("import")) {
      imports(line, 1, "");
    } else if (first.is("from")) {
      int i = 1;
      StringBuilder from = new StringBuilder();
      while (i < t.size() && !t.get(i).is("import")) {
        from.append(t.get(i++).text());
      }
      imports(line, i + 1, from + ".");
    } else if (first.kind() == Kind.STRING && t.size() == 1 || first.is("pass") && t.size() == 1) {
      // a docstring, or pass
    } else {
      assignment(line);
    }
  }

  /** {@code import a.b as c, d} or the names after {@code from x import}. */
  private void imports(Line line, int start, String from) {
    List<Token> t = line.tokens();
    int i = start;
    while (i < t.size()) {
      if (t.get(i).is("(") || t.get(i).is(")") || t.get(i).is(",")) {
        i++;
        continue;
      }
      if (t.get(i).is("*")) {
        throw scope.error(line.number(), "'from " + from.substring(0, from.length() - 1) + " import *' cannot be "
            + "evaluated without running Python");
      }
      StringBuilder dotted = new StringBuilder(t.get(i++).text());
      while (i + 1 < t.size() && t.get(i).is(".")) {
        dotted.append('.').append(t.get(i + 1).text());
        i += 2;
      }
      String name = dotted.toString();
      String bound = from.isEmpty() ? name.split("\\.")[0] : name;
      String target = from.isEmpty() ? bound : from + name;
      if (i + 1 < t.size() && t.get(i).is("as")) {
        bound = t.get(i + 1).text();
        target = from + name;
        i += 2;
      }
      scope.define(bound, new Module(target));
    }
  }

  private void assignment(Line line) {
    List<Token> t = line.tokens();
    List<Integer> equals = new ArrayList<>();
    int depth = 0;
    String augmented = null;
    for (int i = 0; i < t.size(); i++) {
      Token tok = t.get(i);
      if (tok.kind() != Kind.OP) {
        continue;
      }
      depth += "([{".contains(tok.text()) ? 1 : ")]}".contains(tok.text()) ? -1 : 0;
      if (depth == 0 && tok.text().equals("=")) {
        equals.add(i);
      } else if (depth == 0 && tok.text().length() >= 2 && tok.text().endsWith("=")
          && List.of("+=", "-=", "*=", "/=", "//=", "%=", "**=").contains(tok.text())) {
        equals.add(i);
        augmented = tok.text().substring(0, tok.text().length() - 1);
      }
    }
    if (equals.isEmpty()) {
      throw scope.error(line.number(), "cannot evaluate '" + text(t) + "' without running Python "
          + "(only assignments, imports and def are read)");
    }
    int last = equals.get(equals.size() - 1);
    Object value = PyExpression.evaluate(t.subList(last + 1, t.size()), scope, line.number());
    int from = 0;
    for (int eq : equals) {
      List<String> targets = targets(t.subList(from, eq), line);
      Object assigned = value;
      if (augmented != null) {
        Object old = scope.lookup(targets.get(0), line.number());
        assigned = PyExpression.evaluate(List.of(new Token(Kind.NAME, "__old", "", line.number()),
            new Token(Kind.OP, augmented, "", line.number()), new Token(Kind.NAME, "__new", "", line.number())),
            with(old, value), line.number());
      }
      bind(targets, assigned, line);
      from = eq + 1;
    }
  }

  private PyScope with(Object old, Object value) {
    scope.define("__old", old);
    scope.define("__new", value);
    return scope;
  }

  private List<String> targets(List<Token> tokens, Line line) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < tokens.size(); i++) {
      Token tok = tokens.get(i);
      if (tok.kind() == Kind.OP && tok.is(":")) {
        break; // an annotation (workers: int = 4) changes nothing
      }
      boolean separator = tok.kind() == Kind.OP && (tok.is(",") || tok.is("(") || tok.is(")"));
      if (tok.kind() == Kind.NAME && !separator) {
        names.add(tok.text());
      } else if (!separator) {
        throw scope.error(line.number(), "cannot assign to '" + text(tokens) + "' (only names are read)");
      }
    }
    if (names.isEmpty()) {
      throw scope.error(line.number(), "expected a name before '='");
    }
    return names;
  }

  private void bind(List<String> names, Object value, Line line) {
    if (names.size() == 1) {
      scope.define(names.get(0), value);
      assignments.remove(names.get(0)); // re-inserted: the order is that of the last assignments
      assignments.put(names.get(0), new Assignment(names.get(0), value, line.number()));
      return;
    }
    if (!(value instanceof List<?> values) || values.size() != names.size()) {
      throw scope.error(line.number(), "cannot unpack " + PyValues.repr(value) + " into " + names.size() + " names");
    }
    for (int i = 0; i < names.size(); i++) {
      bind(List.of(names.get(i)), values.get(i), line);
    }
  }

  private static String text(List<Token> tokens) {
    StringBuilder out = new StringBuilder();
    for (Token tok : tokens) {
      out.append(tok.kind() == Kind.STRING ? PyValues.repr(tok.text()) : tok.text()).append(' ');
    }
    String s = out.toString().strip();
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
