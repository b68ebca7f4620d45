package dev.narwhal.config;

import com.typesafe.config.Config;
import dev.narwhal.config.internal.BaseConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.IdentityHashMap;
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
