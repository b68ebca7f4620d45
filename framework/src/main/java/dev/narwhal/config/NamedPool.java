package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A worker pool besides the default one, as {@code narwhal.pools} declares it: its own settings
 * (each read and validated by the registry's reader for the same top-level key; what a pool does
 * not set, it takes from the top level) and the routes that send requests to it.
 *
 * <pre>
 * narwhal.pools {
 *   reports { workers = 2, timeout = 60s, backlog = 16, routes = ["/reports", "POST /exports"] }
 * }
 * </pre>
 *
 * <p>A pool named {@code default} may only list routes: it sends them back to the default pool
 * (e.g. {@code /reports/health} while {@code /reports} goes elsewhere).
 *
 * @param name the pool's name (letters, digits, '-' and '_')
 * @param overrides the settings the pool sets itself, by setting
 * @param routes its routes (see {@link PoolRoute} for the grammar)
 */
public record NamedPool(String name, Map<Setting<?>, Object> overrides, List<PoolRoute> routes) {
  /**
   * The top-level settings a pool may set for itself. A method, not a constant: Settings loads this
   * class while it builds its own {@code pools} entry, before the settings listed here all exist.
   */
  public static List<Setting<?>> poolSettings() {
    return PoolSettingsHolder.SETTINGS;
  }

  private static final class PoolSettingsHolder {
    static final List<Setting<?>> SETTINGS = List.of(Settings.WORKERS, Settings.WORKER_CLASS,
        Settings.THREADS, Settings.WORKER_CONNECTIONS, Settings.TIMEOUT, Settings.MAX_REQUESTS,
        Settings.MAX_REQUESTS_JITTER, Settings.MAX_WORKER_LIFETIME, Settings.MAX_WORKER_LIFETIME_JITTER,
        Settings.BOOT_TIMEOUT, Settings.BACKLOG, Settings.GRACEFUL_TIMEOUT, Settings.CONCURRENCY_LIMIT,
        Settings.CONCURRENCY_LIMIT_INITIAL, Settings.CONCURRENCY_LIMIT_MIN, Settings.CONCURRENCY_LIMIT_MAX,
        Settings.SUPERVISION_POLICY);
  }

  private static final String EXPECTED = "an object of pools: pools { NAME { workers = 2, routes = [\"/prefix\"] } }";

  public NamedPool {
    overrides = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
    routes = List.copyOf(routes);
  }

  /** The settings this pool runs with: {@code top} with the pool's own settings over it. */
  public ServerConfig applyTo(ServerConfig top) {
    ServerConfig config = top;
    for (Map.Entry<Setting<?>, Object> e : overrides.entrySet()) {
      config = with(config, e.getKey(), e.getValue());
    }
    return config;
  }

  /** As a config file spells it, e.g. {@code reports { workers = 2, timeout = 60s, routes = ["/reports"] }}. */
  @Override
  public String toString() {
    java.util.StringJoiner parts = new java.util.StringJoiner(", ", name + " { ", " }").setEmptyValue(name + " {}");
    overrides.forEach((setting, value) -> parts.add(setting.key() + " = " + (value instanceof java.time.Duration d
        ? (d.toNanosPart() == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms")
        : value)));
    if (!routes.isEmpty()) {
      parts.add("routes = [" + routes.stream().map(r -> "\"" + r.text() + "\"").collect(Collectors.joining(", "))
          + "]");
    }
    return parts.toString();
  }

  @SuppressWarnings("unchecked")
  private static <T> ServerConfig with(ServerConfig config, Setting<T> setting, Object value) {
    return config.with(setting, (T) value);
  }

  /** The setting's reader: every pool checked, with the file and line of what is wrong. */
  static ValueReader<List<NamedPool>> reader() {
    return (config, path) -> {
      ConfigValue value = ReaderSupport.value(config, path);
      if (value.valueType() != ConfigValueType.OBJECT) {
        throw ValueReader.invalid(path, value, EXPECTED, "a " + value.valueType().name().toLowerCase(Locale.ROOT));
      }
      List<NamedPool> pools = new ArrayList<>();
      Map<String, String> seen = new HashMap<>();
      // sorted: HOCON objects keep no order, and routes must not depend on one
      for (String name : ((ConfigObject) value).keySet().stream().sorted().toList()) {
        ConfigValue pool = ((ConfigObject) value).get(name);
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_-]*")) {
          throw ValueReader.invalid(path, pool, "pool names of letters, digits, '-' and '_'", "'" + name + "'");
        }
        if (pool.valueType() != ConfigValueType.OBJECT) {
          throw ValueReader.invalid(path + "." + name, pool, "an object such as { workers = 2, routes = [\"/x\"] }",
              "a " + pool.valueType().name().toLowerCase(Locale.ROOT));
        }
        NamedPool read = read(config, path + "." + name, name, (ConfigObject) pool);
        for (PoolRoute route : read.routes()) {
          String other = seen.putIfAbsent(route.text(), name);
          if (other != null) {
            throw ValueReader.invalid(path + "." + name + ".routes", ((ConfigObject) pool).get("routes"),
                "routes that differ between pools", "\"" + route.text() + "\", also a route of pool '" + other + "'");
          }
        }
        pools.add(read);
      }
      return List.copyOf(pools);
    };
  }

  private static NamedPool read(Config config, String path, String name, ConfigObject pool) {
    Map<Setting<?>, Object> overrides = new LinkedHashMap<>();
    List<PoolRoute> routes = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : pool.entrySet()) {
      String key = entry.getKey();
      if (key.equals("routes")) {
        routes.addAll(routes(path + ".routes", name, entry.getValue()));
        continue;
      }
      Setting<?> setting = poolSettings().stream().filter(s -> s.key().equals(key)).findFirst()
          .orElseThrow(() -> new SettingsException(ValueReader.where(entry.getValue().origin()) + path + "." + key
              + ": unknown pool setting; a pool takes routes and " + keys()));
      if (name.equals(PoolRoutes.DEFAULT)) {
        throw new SettingsException(ValueReader.where(entry.getValue().origin()) + path + "." + key
            + ": the default pool takes the top-level settings; pools.default may only list routes");
      }
      overrides.put(setting, setting.reader().read(config, path + "." + key));
    }
    // in registry order: HOCON keeps none, and --print-config should not shuffle
    Map<Setting<?>, Object> ordered = new LinkedHashMap<>();
    poolSettings().stream().filter(overrides::containsKey).forEach(s -> ordered.put(s, overrides.get(s)));
    return new NamedPool(name, ordered, routes);
  }

  private static List<PoolRoute> routes(String path, String pool, ConfigValue value) {
    List<String> items = new ArrayList<>();
    if (value.valueType() == ConfigValueType.LIST) {
      for (ConfigValue item : (ConfigList) value) {
        if (item.valueType() != ConfigValueType.STRING) {
          throw ValueReader.invalid(path, item, "a list of " + PoolRoute.GRAMMAR,
              "a " + item.valueType().name().toLowerCase(Locale.ROOT) + " in the list");
        }
        items.add((String) item.unwrapped());
      }
    } else if (value.valueType() == ConfigValueType.STRING) {
      items.add((String) value.unwrapped());
    } else {
      throw ValueReader.invalid(path, value, "a list of " + PoolRoute.GRAMMAR,
          "a " + value.valueType().name().toLowerCase(Locale.ROOT));
    }
    List<PoolRoute> routes = new ArrayList<>();
    for (String item : items) {
      try {
        routes.add(PoolRoute.parse(pool, item));
      } catch (IllegalArgumentException e) {
        throw ValueReader.invalid(path, value, PoolRoute.GRAMMAR, "\"" + item + "\" (" + e.getMessage() + ")");
      }
    }
    return routes;
  }

  private static String keys() {
    return poolSettings().stream().map(Setting::key).collect(Collectors.joining(", "));
  }
}
