package dev.narwhal.launcher.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * INTERNAL API. The effective settings as {@code key = value} lines, for {@code --print-config}:
 * every setting in registry order, values in the units a config file uses ({@code 30s},
 * {@code on}/{@code off}), {@code ""} and {@code []} for empty ones.
 */
public final class ConfigPrinter {
  /** What a secret value prints as. */
  public static final String REDACTED = "<redacted>";

  private ConfigPrinter() {}

  public static List<String> lines(ServerConfig config) {
    return Settings.ALL.stream().map(s -> line(config, s)).toList();
  }

  private static String line(ServerConfig config, Setting<?> setting) {
    Object value = config.get(setting);
    return setting.key() + " = " + render(setting.secret() ? redact(value) : value);
  }

  /** {@code value} with every secret part replaced; empty values stay empty, so "not set" still shows. */
  static Object redact(Object value) {
    return switch (value) {
      case Optional<?> o -> o.map(ConfigPrinter::redact);
      case Map<?, ?> m -> m.keySet().stream().collect(Collectors.toMap(k -> k, k -> REDACTED,
          (a, b) -> a, java.util.LinkedHashMap::new));
      case Collection<?> c -> c.stream().map(ConfigPrinter::redact).toList();
      case String s when s.isEmpty() -> s;
      default -> REDACTED;
    };
  }

  /** One value as a config file would spell it. */
  public static String render(Object value) {
    return switch (value) {
      case Duration d -> duration(d);
      case Boolean b -> b ? "on" : "off";
      case Optional<?> o -> o.map(ConfigPrinter::render).orElse("\"\"");
      case Collection<?> c when c.isEmpty() -> "[]";
      case Collection<?> c -> c.stream().map(ConfigPrinter::render).collect(Collectors.joining(", "));
      case Map<?, ?> m when m.isEmpty() -> "[]";
      case Map<?, ?> m -> m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
      case String s when s.isEmpty() -> "\"\"";
      default -> String.valueOf(value);
    };
  }

  private static String duration(Duration d) {
    if (d.isZero()) {
      return "off";
    }
    return d.toNanosPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
