package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import com.typesafe.config.ConfigObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one setting's value and validates it, failing with a {@link SettingsException} that names
 * the source, the key, the expected form and what was found.
 *
 * <p>Values from the command line and the environment arrive as strings, values from a file as
 * any HOCON type; every reader accepts both.
 */
@FunctionalInterface
public interface ValueReader<T> {
  T read(Config config, String path);

  /** A whole number of at least {@code min}. */
  static ValueReader<Integer> integer(int min) {
    String expected = "a whole number >= " + min;
    return scalar(expected, text -> {
      int value = Integer.parseInt(text);
      if (value < min) {
        throw new IllegalArgumentException();
      }
      return value;
    });
  }

  /** A whole number of at least 1, or {@code auto} for gunicorn's 2 x cores + 1. */
  static ValueReader<Integer> workerCount() {
    return scalar("a whole number >= 1, or 'auto' (2 x cores + 1)", text -> {
      if (text.equalsIgnoreCase("auto")) {
        return 2 * Runtime.getRuntime().availableProcessors() + 1;
      }
      int value = Integer.parseInt(text);
      if (value < 1) {
        throw new IllegalArgumentException();
      }
      return value;
    });
  }

  /** A positive duration: HOCON units ({@code 30s}, {@code 500ms}, {@code 2 minutes}) or bare seconds. */
  static ValueReader<Duration> duration() {
    return scalar("a duration such as 30, 30s or 500ms (bare numbers are seconds)", text -> {
      Duration d = parseDuration(text);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException();
      }
      return d;
    });
  }

  /** Like {@link #duration()}, but {@code 0} or {@code off} disables (read as {@link Duration#ZERO}). */
  static ValueReader<Duration> durationOrOff() {
    return scalar("a duration such as 30, 30s or 500ms (bare numbers are seconds), or 0/off to disable", text -> {
      if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("false")) {
        return Duration.ZERO;
      }
      Duration d = parseDuration(text);
      if (d.isNegative()) {
        throw new IllegalArgumentException();
      }
      return d;
    });
  }

  /** A share such as {@code 0.8} or {@code 80%}, below 1; {@code 0} or {@code off} disables (read as 0). */
  static ValueReader<Double> shareOrOff() {
    return scalar("a share of the heap such as 0.8 or 80%, or 0/off to disable", text -> {
      if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("false")) {
        return 0.0;
      }
      double share = text.endsWith("%")
          ? Double.parseDouble(text.substring(0, text.length() - 1).strip()) / 100
          : Double.parseDouble(text);
      if (!(share >= 0 && share < 1)) {
        throw new IllegalArgumentException();
      }
      return share;
    });
  }

  /**
   * A size in bytes: a bare number of bytes, or HOCON's size units ({@code 512k}, {@code 10m},
   * {@code 1g} in powers of 1024; {@code 10MB} in powers of 1000). {@code 0} is allowed; what it
   * means is the setting's to say.
   */
  static ValueReader<Long> size() {
    return scalar("a size such as 1048576, 512k, 10m or 1g (bare numbers are bytes)", text -> {
      long bytes = text.matches("\\d+")
          ? Long.parseLong(text)
          : ConfigFactory.parseString("s = \"" + text.replace("\"", "") + "\"").getBytes("s");
      if (bytes < 0) {
        throw new IllegalArgumentException();
      }
      return bytes;
    });
  }

  /** A setting that is on or off: true/false, on/off, yes/no. */
  static ValueReader<Boolean> bool() {
    return scalar("true or false (also on/off, yes/no)", text -> switch (text.toLowerCase()) {
      case "true", "on", "yes" -> true;
      case "false", "off", "no" -> false;
      default -> throw new IllegalArgumentException();
    });
  }

  /** A built-in worker class, or a Java class name (a worker extension, loaded at start). */
  static ValueReader<String> workerClass(String... builtIn) {
    return scalar("one of: " + String.join(", ", builtIn) + ", or a class name like com.example.MyWorker",
        text -> {
          for (String choice : builtIn) {
            if (choice.equalsIgnoreCase(text)) {
              return choice;
            }
          }
          if (!text.matches("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)+")) {
            throw new IllegalArgumentException();
          }
          return text;
        });
  }

  /** Any text, taken as is (may be empty). */
  static ValueReader<String> text() {
    return scalar("a string", text -> text);
  }

  /**
   * A secret: empty, or at least {@code minLength} characters once stripped. The error says how
   * long the value was, never the value itself, since error messages end up in logs and terminals.
   */
  static ValueReader<String> secret(int minLength, String whenEmpty) {
    String expected = "empty (" + whenEmpty + ") or at least " + minLength + " characters";
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
        throw invalid(path, value, expected, "a " + value.valueType().name().toLowerCase(Locale.ROOT));
      }
      String text = String.valueOf(value.unwrapped()).strip();
      if (!text.isEmpty() && text.length() < minLength) {
        throw invalid(path, value, expected, text.length() + " characters (value not shown)");
      }
      return text;
    };
  }

  /** A file path, which need not exist yet; empty for none. */
  static ValueReader<Optional<Path>> optionalPath() {
    return scalar("a file path, or empty", text -> text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text)));
  }

  private static Duration parseDuration(String text) {
    if (text.matches("\\d+(\\.\\d+)?")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    }
    return ConfigFactory.parseString("d = \"" + text.replace("\"", "") + "\"").getDuration("d");
  }

  /** One of {@code choices}, compared case-insensitively; {@code note} follows the list in errors. */
  static ValueReader<String> oneOf(List<String> choices, String note) {
    return scalar("one of: " + String.join(", ", choices) + note, text -> choices.stream()
        .filter(c -> c.equalsIgnoreCase(text))
        .findFirst()
        .orElseThrow());
  }

  /**
   * Environment entries: {@code KEY=VALUE} strings (one, or a list), or an object
   * {@code { KEY = VALUE }}. Kept in the order given; a later entry for the same key wins.
   */
  static ValueReader<Map<String, String>> keyValues() {
    String expected = "KEY=VALUE entries (a list of strings, or an object of strings)";
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      Map<String, String> entries = new LinkedHashMap<>();
      if (value.valueType() == ConfigValueType.OBJECT) {
        for (Map.Entry<String, ConfigValue> e : ((ConfigObject) value).entrySet()) {
          if (e.getValue().valueType() == ConfigValueType.OBJECT || e.getValue().valueType() == ConfigValueType.LIST) {
            throw invalid(path, value, expected, "a nested " + e.getValue().valueType().name().toLowerCase() + " at " + e.getKey());
          }
          entries.put(e.getKey(), String.valueOf(e.getValue().unwrapped()));
        }
        return entries;
      }
      for (String item : ReaderSupport.items(config, path, value)) {
        int eq = item.indexOf('=');
        if (eq <= 0 || item.substring(0, eq).isBlank() || item.substring(0, eq).chars().anyMatch(Character::isWhitespace)) {
          throw invalid(path, value, expected, "'" + item + "'");
        }
        entries.put(item.substring(0, eq), item.substring(eq + 1));
      }
      return entries;
    };
  }

  /** A gunicorn access-log format; an unknown atom or a stray {@code %} is refused with the reason. */
  static ValueReader<String> accessLogFormat() {
    String expected = "a gunicorn access-log format such as '%(h)s \"%(r)s\" %(s)s %(b)s'";
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      if (value.valueType() != ConfigValueType.STRING) {
        throw invalid(path, value, expected, "a " + value.valueType().name().toLowerCase(Locale.ROOT));
      }
      String format = (String) value.unwrapped();
      try {
        AccessLogPattern.parse(format);
      } catch (IllegalArgumentException e) {
        throw invalid(path, value, expected, "'" + format + "' (" + e.getMessage() + ")");
      }
      return format;
    };
  }

  /** Paths to existing directories or jars: a list, or one string joined with ':' (may be empty). */
  static ValueReader<List<Path>> pathList() {
    String expected = "existing directories or jars, as a list or joined with ':'";
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      List<Path> paths = new ArrayList<>();
      for (String item : ReaderSupport.items(config, path, value)) {
        for (String part : item.split(File.pathSeparator)) {
          if (part.isBlank()) {
            continue;
          }
          Path p = PathReaders.resolve(config, part.strip());
          if (!Files.exists(p)) {
            throw invalid(path, value, expected, "'" + part + "', which does not exist");
          }
          paths.add(p);
        }
      }
      return List.copyOf(paths);
    };
  }

  /** Names (letters, digits, '-', '_', '.'), as a list or one comma-separated string; may be empty. */
  static ValueReader<List<String>> nameList() {
    return ReaderSupport.commaList("names separated by commas (or a list), or empty", item -> {
      if (!item.matches("[\\p{L}\\p{N}_.-]+")) {
        throw new IllegalArgumentException();
      }
      return item;
    });
  }

  /** One string, or a list of them, each parsed with {@code parse}. */
  static <E> ValueReader<List<E>> listOf(String expected, Function<String, E> parse) {
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      // else an object reads as its text ("{a=1}") and passes for a host name
      if (value.valueType() == ConfigValueType.OBJECT) {
        throw invalid(path, value, expected, "an object");
      }
      if (value.valueType() == ConfigValueType.LIST && config.getList(path).stream()
          .anyMatch(v -> v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST)) {
        throw invalid(path, value, expected, "a list holding an object or a list");
      }
      List<String> raw = ReaderSupport.items(config, path, value);
      if (raw.isEmpty()) {
        throw invalid(path, value, expected, "an empty list");
      }
      List<E> parsed = new ArrayList<>();
      for (String item : raw) {
        try {
          parsed.add(parse.apply(item));
        } catch (RuntimeException e) {
          String why = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
          throw invalid(path, value, expected, "'" + item + "'" + why);
        }
      }
      return List.copyOf(parsed);
    };
  }

  /** A single scalar converted from its text by {@code parse}; any exception means "invalid". */
  static <T> ValueReader<T> scalar(String expected, Function<String, T> parse) {
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
        throw invalid(path, value, expected, "a " + value.valueType().name().toLowerCase());
      }
      String text = String.valueOf(value.unwrapped()).strip();
      try {
        return parse.apply(text);
      } catch (RuntimeException e) {
        throw invalid(path, value, expected, "'" + text + "'");
      }
    };
  }

  /** Builds the one-line error for a value: {@code FILE:LINE: KEY: expected X, got Y}. */
  static SettingsException invalid(String path, ConfigValue value, String expected, String got) {
    return new SettingsException(where(value.origin()) + path + ": expected " + expected + ", got " + got);
  }

  /** {@code "narwhal.conf:12: "}, {@code "command line: "} or {@code "environment NARWHAL_X: "}. */
  static String where(ConfigOrigin origin) {
    if (origin == null) {
      return "";
    }
    if (origin.filename() != null) {
      return origin.filename() + (origin.lineNumber() > 0 ? ":" + origin.lineNumber() : "") + ": ";
    }
    return origin.description() + ": ";
  }
}
