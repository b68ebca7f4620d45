package dev.narwhal.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * INTERNAL API. The values a {@code gunicorn.conf.py} evaluates to, as Java objects: {@link Long}
 * (int), {@link Double} (float), {@link String}, {@link Boolean}, {@link #NONE}, {@link List}
 * (list and tuple), {@link Map} (dict), and the few non-data values below. Python's {@code str},
 * {@code repr}, truth and arithmetic on them.
 */
public final class PyValues {
  /** Python's None. */
  public static final Object NONE = new Object() {
    @Override
    public String toString() {
      return "None";
    }
  };

  /**
   * {@code a * cpu_count() + b}, kept symbolic so that gunicorn's {@code cpu_count() * 2 + 1} can
   * become Narwhal's {@code workers = auto} instead of this machine's number.
   */
  public record Cores(long times, long plus) {
    /** Its value on this machine: cores as {@code workers = auto} counts them. */
    public long value() {
      return times * Runtime.getRuntime().availableProcessors() + plus;
    }
  }

  /** An imported module (or a name imported from one), known by its dotted name. */
  public record Module(String name) {}

  /** A callable: a function by dotted name ({@code os.getenv}), or a method bound to {@code self}. */
  public record Callable(String name, Object self) {}

  private PyValues() {}

  /** Python's {@code str(value)}. */
  public static String str(Object value) {
    if (value instanceof String s) {
      return s;
    }
    return repr(value);
  }

  /** Python's {@code repr(value)}, for the types above. */
  public static String repr(Object value) {
    if (value instanceof String s) {
      return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof Double d) {
      return String.valueOf(d);
    }
    if (value instanceof Cores c) {
      return String.valueOf(c.value());
    }
    if (value instanceof List<?> list) {
      return list.stream().map(PyValues::repr).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(value);
  }

  /** Python's truth value. */
  public static boolean truthy(Object value) {
    if (value == NONE || value == null) {
      return false;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof Long l) {
      return l != 0;
    }
    if (value instanceof Double d) {
      return d != 0;
    }
    if (value instanceof String s) {
      return !s.isEmpty();
    }
    if (value instanceof List<?> l) {
      return !l.isEmpty();
    }
    if (value instanceof Map<?, ?> m) {
      return !m.isEmpty();
    }
    return true;
  }

  /** A number as Python sees it in arithmetic (bool is an int, Cores its value), else null. */
  static Number number(Object value) {
    if (value instanceof Boolean b) {
      return b ? 1L : 0L;
    }
    if (value instanceof Cores c) {
      return c.value();
    }
    return value instanceof Long || value instanceof Double ? (Number) value : null;
  }

  /**
   * {@code left op right} for + - * / // % **; null when Python would raise TypeError for these
   * operand types (the caller reports it with the line).
   */
  static Object arithmetic(String op, Object left, Object right) {
    if (left instanceof Cores || right instanceof Cores) {
      Object symbolic = cores(op, left, right);
      if (symbolic != null) {
        return symbolic;
      }
    }
    if (op.equals("+") && left instanceof String a && right instanceof String b) {
      return a + b;
    }
    if (op.equals("+") && left instanceof List<?> a && right instanceof List<?> b) {
      List<Object> joined = new ArrayList<>(a);
      joined.addAll(b);
      return List.copyOf(joined);
    }
    if (op.equals("*") && left instanceof String s && right instanceof Long n) {
      return s.repeat((int) Math.max(0, n));
    }
    Number a = number(left);
    Number b = number(right);
    if (a == null || b == null) {
      return null;
    }
    if (a instanceof Long x && b instanceof Long y) {
      return switch (op) {
        case "+" -> x + y;
        case "-" -> x - y;
        case "*" -> x * y;
        case "/" -> (double) x / y;
        case "//" -> Math.floorDiv(x, y);
        case "%" -> Math.floorMod(x, y);
        case "**" -> y >= 0 ? (Object) (long) Math.pow(x, y) : (Object) Math.pow(x, y);
        default -> null;
      };
    }
    double x = a.doubleValue();
    double y = b.doubleValue();
    return switch (op) {
      case "+" -> x + y;
      case "-" -> x - y;
      case "*" -> x * y;
      case "/" -> x / y;
      case "//" -> Math.floor(x / y);
      case "%" -> x - Math.floor(x / y) * y;
      case "**" -> Math.pow(x, y);
      default -> null;
    };
  }

  /** Linear arithmetic on cores stays symbolic; anything else falls back to this machine's count. */
  private static Object cores(String op, Object left, Object right) {
    Cores c = left instanceof Cores l ? l : (Cores) right;
    Object other = left instanceof Cores ? right : left;
    if (!(other instanceof Long n)) {
      return null;
    }
    return switch (op) {
      case "+" -> new Cores(c.times(), c.plus() + n);
      case "-" -> left instanceof Cores ? new Cores(c.times(), c.plus() - n) : new Cores(-c.times(), n - c.plus());
      case "*" -> new Cores(c.times() * n, c.plus() * n);
      default -> null;
    };
  }

  /** Python's == for these types (1 == 1.0, True == 1). */
  static boolean equal(Object a, Object b) {
    Number x = number(a);
    Number y = number(b);
    if (x != null && y != null) {
      return x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  /** A comparison ({@code == != < > <= >= in}, {@code not in}); null when Python would raise TypeError. */
  static Boolean compare(String op, Object left, Object right) {
    switch (op) {
      case "==" -> {
        return equal(left, right);
      }
      case "!=" -> {
        return !equal(left, right);
      }
      case "in", "not in" -> {
        Boolean found = right instanceof String s && left instanceof String i ? (Boolean) s.contains(i)
            : right instanceof List<?> l ? (Boolean) l.stream().anyMatch(x -> equal(x, left))
            : right instanceof Map<?, ?> m ? (Boolean) m.containsKey(left) : null;
        return found == null ? null : found == op.equals("in");
      }
      default -> {
        Number a = number(left);
        Number b = number(right);
        int cmp;
        if (a != null && b != null) {
          cmp = Double.compare(a.doubleValue(), b.doubleValue());
        } else if (left instanceof String x && right instanceof String y) {
          cmp = x.compareTo(y);
        } else {
          return null;
        }
        return op.equals("<") ? cmp < 0 : op.equals(">") ? cmp > 0 : op.equals("<=") ? cmp <= 0 : cmp >= 0;
      }
    }
  }

  /** The Python type name, for error messages. */
  static String typeName(Object value) {
    if (value == NONE) {
      return "NoneType";
    }
    if (value instanceof Boolean) {
      return "bool";
    }
    if (value instanceof Long || value instanceof Cores) {
      return "int";
    }
    if (value instanceof Double) {
      return "float";
    }
    if (value instanceof String) {
      return "str";
    }
    if (value instanceof List) {
      return "list";
    }
    if (value instanceof Map) {
      return "dict";
    }
    return value instanceof Module ? "module" : "function";
  }
}
