package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.config.internal.BaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated, immutable settings a server runs with: one value per setting of the registry,
 * read with {@link #get(Setting)} (or the shortcuts below), plus the merged configuration they were
 * read from, which is also handed to Pekko, so a config file may tune {@code pekko.*} as well.
 *
 * <p>Every setting is validated when the config is built, so a bad value fails at start-up with
 * its file and line, never later while serving.
 */
public final class ServerConfig {
  private final Map<Setting<?>, Object> values;
  private final Config source;

  private ServerConfig(Map<Setting<?>, Object> values, Config source) {
    this.values = values;
    this.source = source;
  }

  /** Reads and validates every setting from a merged configuration (user layers over the defaults). */
  public static ServerConfig from(Config merged) {
    Map<Setting<?>, Object> values = new IdentityHashMap<>();
    // first: the other paths are resolved against it, so a bad chdir must be the error reported
    values.put(Settings.CHDIR, Settings.CHDIR.read(merged));
    for (Setting<?> setting : Settings.ALL) {
      values.putIfAbsent(setting, setting.read(merged));
    }
    return new ServerConfig(values, merged);
  }

  /** The defaults, for embedding and tests. */
  public static ServerConfig defaults() {
    return from(BaseConfig.load().resolve());
  }

  /**
   * Settings by their config-file names over the defaults, for embedding:
   * {@code ServerConfig.of(Map.of("workers", 4, "bind", "127.0.0.1:8000", "timeout", "30s"))}.
   * Values are what the file takes: numbers, booleans, strings ({@code "30s"}, {@code "on"}),
   * lists, or a {@link Duration}. An unknown key or a bad value throws {@link SettingsException}
   * naming it, as a config file would.
   */
  public static ServerConfig of(Map<String, ?> settings) {
    Map<String, Object> values = new LinkedHashMap<>();
    settings.forEach((key, value) ->
        values.put(Settings.ROOT + "." + key, value instanceof Duration d ? d.toMillis() + "ms" : value));
    Config layer;
    try {
      layer = ConfigFactory.parseMap(values, "ServerConfig.of");
    } catch (ConfigException e) {
      throw new SettingsException("ServerConfig.of: " + e.getMessage());
    }
    return ConfigLoader.embedded(ConfigKeys.checked(layer, new ArrayList<>()));
  }

  /** A config file's text ({@code narwhal { workers = 4 }}, pekko and kamon blocks too) over the defaults. */
  public static ServerConfig parse(String hocon) {
    return ConfigLoader.embedded(ConfigLoader.readText(hocon, "config text"));
  }

  /** A config file over the defaults, read and checked as {@code -c FILE} reads it. */
  public static ServerConfig load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new SettingsException(file + ": config file not found");
    }
    return ConfigLoader.embedded(ConfigLoader.readFile(file, new ArrayList<>()));
  }

  /** The value of a setting. */
  @SuppressWarnings("unchecked")
  public <T> T get(Setting<T> setting) {
    return (T) values.get(setting);
  }

  /**
   * A copy with one setting changed, for code that builds a config (tests, embedding). The value
   * is not re-read from {@link #source()}: code-level overrides win over every file.
   */
  public <T> ServerConfig with(Setting<T> setting, T value) {
    Map<Setting<?>, Object> copy = new IdentityHashMap<>(values);
    copy.put(setting, value);
    return new ServerConfig(copy, source);
  }

  /**
   * The one-line error for a value that was valid when read but cannot be used now (a pidfile a
   * running server holds), naming where the value came from as the readers' errors do.
   */
  public SettingsException invalid(Setting<?> setting, String expected, String got) {
    if (!source.hasPath(setting.path())) {
      return new SettingsException(setting.path() + ": expected " + expected + ", got " + got);
    }
    return ValueReader.invalid(setting.path(), source.getValue(setting.path()), expected, got);
  }

  /** The merged configuration the settings were read from. */
  public Config source() {
    return source;
  }

  public List<BindAddress> binds() {
    return get(Settings.BIND);
  }

  public int workers() {
    return get(Settings.WORKERS);
  }

  public int backlog() {
    return get(Settings.BACKLOG);
  }

  public Duration gracefulTimeout() {
    return get(Settings.GRACEFUL_TIMEOUT);
  }

  public List<Path> classpath() {
    return get(Settings.CLASSPATH);
  }

  public ServerConfig withBinds(List<BindAddress> binds) {
    return with(Settings.BIND, List.copyOf(binds));
  }

  public ServerConfig withWorkers(int workers) {
    return with(Settings.WORKERS, workers);
  }

  public ServerConfig withBacklog(int backlog) {
    return with(Settings.BACKLOG, backlog);
  }

  public ServerConfig withGracefulTimeout(Duration timeout) {
    return with(Settings.GRACEFUL_TIMEOUT, timeout);
  }
}
