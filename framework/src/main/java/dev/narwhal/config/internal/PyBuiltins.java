package dev.narwhal.config.internal;

import dev.narwhal.config.internal.PyValues.Callable;
import dev.narwhal.config.internal.PyValues.Cores;
import dev.narwhal.config.internal.PyValues.Module;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * INTERNAL API. The functions, methods, attributes and subscripts a config file may use: the
 * environment ({@code os.environ.get}, {@code os.getenv}, {@code os.environ[...]}), the core count
 * ({@code multiprocessing.cpu_count()}, {@code os.cpu_count()}), a few builtins and {@code str}
 * methods. Any other call is refused with its line: it would need Python to run.
 */
final class PyBuiltins {
  static final Set<String> FUNCTIONS = Set.of("int", "float", "str", "bool", "len", "min", "max", "abs", "round");
  private static final Set<String> STR_METHODS = Set.of(
      "format", "lower", "upper", "strip", "split", "join", "replace", "startswith", "endswith");

  private PyBuiltins() {}

  static Object attribute(Object value, String name, PyScope scope, int line) {
    if (value instanceof Module m) {
      return new Module(m.name() + "." + name);
    }
    if (value instanceof String && STR_METHODS.contains(name) || value instanceof Map && name.equals("get")) {
      return new Callable(name, value);
    }
    throw scope.error(line, "'" + PyValues.typeName(value) + "' object has no attribute '" + name + "' Narwhal can evaluate");
  }

  static Object call(Object callee, List<Object> args, Map<String, Object> kwargs, PyScope scope, int line) {
    Callable c = callee instanceof Module m ? new Callable(m.name(), null) : (Callable) callee;
    if (c.self() instanceof String s) {
      return PyFormat.method(s, c.name(), args, kwargs, scope, line);
    }
    if (c.self() instanceof Map<?, ?> map) {
      return map.containsKey(arg(args, 0, scope, line)) ? map.get(args.get(0)) : args.size() > 1 ? args.get(1) : PyValues.NONE;
    }
    switch (c.name()) {
      case "multiprocessing.cpu_count", "os.cpu_count" -> {
        return new Cores(1, 0);
      }
      case "os.getenv", "os.environ.get" -> {
        Object key = arg(args, 0, scope, line);
        String found = scope.env().get(PyValues.str(key));
        Object fallback = args.size() > 1 ? args.get(1) : kwargs.getOrDefault("default", PyValues.NONE);
        return found != null ? found : fallback;
      }
      default -> {
        if (FUNCTIONS.contains(c.name())) {
          return builtin(c.name(), args, scope, line);
        }
        throw scope.error(line, "cannot call " + c.name() + "() without running Python");
      }
    }
  }

  private static Object arg(List<Object> args, int i, PyScope scope, int line) {
    if (args.size() <= i) {
      throw scope.error(line, "missing argument " + (i + 1));
    }
    return args.get(i);
  }

  private static Object builtin(String name, List<Object> args, PyScope scope, int line) {
    if (name.equals("min") || name.equals("max")) {
      List<?> items = args.size() == 1 && args.get(0) instanceof List<?> l ? l : args;
      Comparator<Object> byValue = Comparator.comparingDouble(v -> number(v, scope, line));
      return (name.equals("min") ? items.stream().min(byValue) : items.stream().max(byValue))
          .orElseThrow(() -> scope.error(line, name + "() of nothing"));
    }
    Object x = args.isEmpty() && name.equals("str") ? "" : arg(args, 0, scope, line);
    switch (name) {
      case "str" -> {
        return PyValues.str(x);
      }
      case "bool" -> {
        return PyValues.truthy(x);
      }
      case "len" -> {
        if (x instanceof String s) {
          return (long) s.length();
        }
        if (x instanceof List<?> l) {
          return (long) l.size();
        }
        if (x instanceof Map<?, ?> m) {
          return (long) m.size();
        }
        throw scope.error(line, "len() of " + PyValues.typeName(x));
      }
      case "int" -> {
        if (x instanceof Cores || x instanceof Long) {
          return x;
        }
        if (x instanceof String s) {
          try {
            return Long.parseLong(s.strip().replace("_", ""));
          } catch (NumberFormatException e) {
            throw scope.error(line, "invalid literal for int(): " + PyValues.repr(s));
          }
        }
        return (long) number(x, scope, line);
      }
      case "float" -> {
        if (x instanceof String s) {
          try {
            return Double.parseDouble(s.strip());
          } catch (NumberFormatException e) {
            throw scope.error(line, "could not convert string to float: " + PyValues.repr(s));
          }
        }
        return number(x, scope, line);
      }
      case "abs" -> {
        return x instanceof Long l ? (Object) Math.abs(l) : (Object) Math.abs(number(x, scope, line));
      }
      default -> { // round
        return Math.round(number(x, scope, line));
      }
    }
  }

  private static double number(Object value, PyScope scope, int line) {
    Number n = PyValues.number(value);
    if (n == null) {
      throw scope.error(line, "expected a number, got " + PyValues.typeName(value) + " " + PyValues.repr(value));
    }
    return n.doubleValue();
  }

  static Object subscript(Object value, Object key, PyScope scope, int line) {
    if (value instanceof Module m && m.name().equals("os.environ")) {
      String found = scope.env().get(PyValues.str(key));
      if (found == null) {
        throw scope.error(line, "environment variable " + PyValues.str(key) + " is not set (os.environ["
            + PyValues.repr(key) + "] would raise KeyError)");
      }
      return found;
    }
    if (value instanceof Map<?, ?> map) {
      if (!map.containsKey(key)) {
        throw scope.error(line, "KeyError: " + PyValues.repr(key));
      }
      return map.get(key);
    }
    if ((value instanceof List || value instanceof String) && key instanceof Long i) {
      List<?> items = value instanceof String s ? Arrays.asList(s.split("")) : (List<?>) value;
      long index = i < 0 ? items.size() + i : i;
      if (index < 0 || index >= items.size()) {
        throw scope.error(line, "index out of range: " + i);
      }
      return items.get((int) index);
    }
    throw scope.error(line, "cannot subscript " + PyValues.typeName(value) + " with " + PyValues.typeName(key));
  }

  /** {@code sep.join(items)}, {@code s.split(sep)}: helpers for {@link PyFormat#method}. */
  static List<Object> split(String s, Object sep) {
    List<Object> parts = new ArrayList<>();
    if (sep == PyValues.NONE || sep == null) {
      for (String p : s.strip().split("\\s+")) {
        if (!p.isEmpty()) {
          parts.add(p);
        }
      }
    } else {
      parts.addAll(Arrays.asList(s.split(java.util.regex.Pattern.quote(PyValues.str(sep)), -1)));
    }
    return List.copyOf(parts);
  }

  /** A number literal's value. */
  static Object number(PyTokenizer.Token t, PyScope scope) {
    String text = t.text().toLowerCase();
    try {
      if (text.startsWith("0x")) {
        return Long.parseLong(text.substring(2), 16);
      }
      if (text.startsWith("0o")) {
        return Long.parseLong(text.substring(2), 8);
      }
      if (text.startsWith("0b")) {
        return Long.parseLong(text.substring(2), 2);
      }
      if (text.matches("\\d+")) {
        return Long.parseLong(text);
      }
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw scope.error(t.line(), "not a number: " + t.text());
    }
  }
}
