package dev.narwhal.config.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * INTERNAL API. Python's three ways to format a string, for what config files do with them
 * (building a bind address or a log path from the environment): f-strings, {@code %} and
 * {@code str.format}, with conversions {@code !r}/{@code !s} and the common specs ({@code d},
 * {@code s}, {@code .2f}, a width). Plus the other {@code str} methods config files call.
 */
final class PyFormat {
  private static final Pattern PERCENT = Pattern.compile("%(?:\\(([^)]*)\\))?([-+ 0#]*)(\\d*)(?:\\.(\\d+))?([sdirfx%])");
  private static final Pattern SPEC = Pattern.compile("([<>^]?)(0?)(\\d*)(?:\\.(\\d+))?([sdf]?)");

  private PyFormat() {}

  /** {@code format % args}. */
  static String percent(String format, Object args, PyScope scope, int line) {
    List<?> positional = args instanceof List<?> l ? l : List.of(args);
    Matcher m = PERCENT.matcher(format);
    StringBuilder out = new StringBuilder();
    int next = 0;
    int last = 0;
    while (m.find()) {
      out.append(format, last, m.start());
      last = m.end();
      if (m.group(5).equals("%")) {
        out.append('%');
        continue;
      }
      Object value;
      if (m.group(1) != null) {
        if (!(args instanceof Map<?, ?> map) || !map.containsKey(m.group(1))) {
          throw scope.error(line, "format needs a dict with key '" + m.group(1) + "'");
        }
        value = map.get(m.group(1));
      } else {
        if (next >= positional.size()) {
          throw scope.error(line, "not enough arguments for format string");
        }
        value = positional.get(next++);
      }
      String type = m.group(5).equals("i") ? "d" : m.group(5);
      String spec = (m.group(2).contains("-") ? "<" : "") + (m.group(2).contains("0") ? "0" : "") + m.group(3)
          + (m.group(4) == null ? "" : "." + m.group(4)) + (type.equals("r") || type.equals("x") ? "" : type);
      Object shown = type.equals("r") ? PyValues.repr(value) : type.equals("x") ? Long.toHexString(toLong(value, scope, line)) : value;
      out.append(spec(shown, spec, scope, line));
    }
    if (format.indexOf('%', last) >= 0) {
      throw scope.error(line, "unsupported % format in " + PyValues.repr(format));
    }
    if (args instanceof List<?> l && next < l.size()) {
      throw scope.error(line, "not all arguments converted during string formatting");
    }
    return out.append(format.substring(last)).toString();
  }

  /** An f-string's text (escapes already decoded) with its {@code {expression}} fields evaluated. */
  static String fString(String text, PyScope scope, int line) {
    return fields(text, scope, line, expression -> PyExpression.evaluate(
        PyTokenizer.lines(expression, "f-string").stream().flatMap(l -> l.tokens().stream()).toList(), scope, line));
  }

  /** {@code template.format(args, kwargs)}. */
  static String format(String template, List<Object> args, Map<String, Object> kwargs, PyScope scope, int line) {
    int[] auto = {0};
    return fields(template, scope, line, field -> {
      if (field.isEmpty()) {
        field = String.valueOf(auto[0]++);
      }
      if (field.matches("\\d+")) {
        int i = Integer.parseInt(field);
        if (i >= args.size()) {
          throw scope.error(line, "format: no positional argument " + i);
        }
        return args.get(i);
      }
      if (!kwargs.containsKey(field)) {
        throw scope.error(line, "format: no argument named '" + field + "'");
      }
      return kwargs.get(field);
    });
  }

  private interface FieldValue {
    Object of(String field);
  }

  /** Replaces each {@code {field!conv:spec}}; {@code {{} and {@code }}} are literal braces. */
  private static String fields(String text, PyScope scope, int line, FieldValue values) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
        out.append(c);
        i += 2;
        continue;
      }
      if (c == '}') {
        throw scope.error(line, "single '}' in format string");
      }
      if (c != '{') {
        out.append(c);
        i++;
        continue;
      }
      int depth = 0;
      int end = i + 1;
      int conv = -1;
      int colon = -1;
      char quote = 0;
      for (; end < text.length(); end++) {
        char d = text.charAt(end);
        if (quote != 0) {
          quote = d == quote ? 0 : quote;
        } else if (d == '\'' || d == '"') {
          quote = d;
        } else if ("([{".indexOf(d) >= 0) {
          depth++;
        } else if (d == '}' && depth == 0) {
          break;
        } else if (")]}".indexOf(d) >= 0) {
          depth--;
        } else if (depth == 0 && colon < 0 && d == '!' && end + 1 < text.length() && text.charAt(end + 1) != '=') {
          conv = end;
        } else if (depth == 0 && colon < 0 && d == ':') {
          colon = end;
        }
      }
      if (end >= text.length()) {
        throw scope.error(line, "'{' is not closed in format string");
      }
      int exprEnd = conv >= 0 ? conv : colon >= 0 ? colon : end;
      Object value = values.of(text.substring(i + 1, exprEnd).strip());
      if (conv >= 0 && text.charAt(conv + 1) == 'r') {
        value = PyValues.repr(value);
      }
      out.append(spec(value, colon >= 0 ? text.substring(colon + 1, end) : "", scope, line));
      i = end + 1;
    }
    return out.toString();
  }

  /** A format spec: alignment, zero padding, width, precision, type s/d/f. */
  private static String spec(Object value, String spec, PyScope scope, int line) {
    Matcher m = SPEC.matcher(spec);
    if (!m.matches()) {
      throw scope.error(line, "format spec '" + spec + "' is not supported");
    }
    String text;
    if (m.group(5).equals("f") || m.group(4) != null && PyValues.number(value) != null) {
      Number n = PyValues.number(value);
      if (n == null) {
        throw scope.error(line, "format spec '" + spec + "' needs a number, got " + PyValues.repr(value));
      }
      text = String.format(Locale.ROOT, "%." + (m.group(4) == null ? "6" : m.group(4)) + "f", n.doubleValue());
    } else if (m.group(5).equals("d")) {
      text = String.valueOf(toLong(value, scope, line));
    } else {
      text = PyValues.str(value);
    }
    int width = m.group(3).isEmpty() ? 0 : Integer.parseInt(m.group(3));
    String pad = (m.group(2).isEmpty() ? " " : "0").repeat(Math.max(0, width - text.length()));
    boolean left = m.group(1).equals("<") || m.group(1).isEmpty() && PyValues.number(value) == null;
    return left ? text + pad : pad + text;
  }

  private static long toLong(Object value, PyScope scope, int line) {
    Number n = PyValues.number(value);
    if (n == null) {
      throw scope.error(line, "expected a number, got " + PyValues.repr(value));
    }
    return n.longValue();
  }

  /** The {@code str} methods config files call. */
  static Object method(String s, String name, List<Object> args, Map<String, Object> kwargs, PyScope scope, int line) {
    Object a0 = args.isEmpty() ? PyValues.NONE : args.get(0);
    return switch (name) {
      case "format" -> format(s, args, kwargs, scope, line);
      case "lower" -> s.toLowerCase(Locale.ROOT);
      case "upper" -> s.toUpperCase(Locale.ROOT);
      case "strip" -> s.strip();
      case "split" -> PyBuiltins.split(s, a0);
      case "startswith" -> s.startsWith(PyValues.str(a0));
      case "endswith" -> s.endsWith(PyValues.str(a0));
      case "replace" -> s.replace(PyValues.str(a0), PyValues.str(args.size() > 1 ? args.get(1) : ""));
      default -> { // join
        if (!(a0 instanceof List<?> items)) {
          throw scope.error(line, "join() needs a list");
        }
        yield items.stream().map(PyValues::str).collect(Collectors.joining(s));
      }
    };
  }
}
