package dev.narwhal.config;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The validated, immutable settings a server runs with.
 *
 * @param binds the addresses to listen on
 * @param workers how many workers to keep running
 * @param backlog how many requests may wait for a worker
 * @param gracefulTimeout how long a graceful stop waits
 * @param classpath where the application's classes are, besides Narwhal's own
 * @param source the merged configuration it was read from (also handed to Pekko, so a config
 *     file may tune {@code pekko.*} as well)
 */
public record ServerConfig(
    List<BindAddress> binds, int workers, int backlog, Duration gracefulTimeout, List<Path> classpath,
    Config source) {

  public ServerConfig {
    binds = List.copyOf(binds);
    classpath = List.copyOf(classpath);
    if (binds.isEmpty()) {
      throw new IllegalArgumentException("at least one bind is required");
    }
    if (workers < 1 || backlog < 1) {
      throw new IllegalArgumentException("workers and backlog must be >= 1");
    }
  }

  /** Reads every setting from a merged configuration (user layers over {@code reference.conf}). */
  public static ServerConfig from(Config merged) {
    return new ServerConfig(
        Settings.BIND.read(merged),
        Settings.WORKERS.read(merged),
        Settings.BACKLOG.read(merged),
        Settings.GRACEFUL_TIMEOUT.read(merged),
        Settings.CLASSPATH.read(merged),
        merged);
  }

  /** The defaults from {@code reference.conf}, for embedding and tests. */
  public static ServerConfig defaults() {
    return from(ConfigLoader.base().resolve());
  }

  /** Copies with another bind list. */
  public ServerConfig withBinds(List<BindAddress> newBinds) {
    return new ServerConfig(newBinds, workers, backlog, gracefulTimeout, classpath, source);
  }

  public ServerConfig withWorkers(int newWorkers) {
    return new ServerConfig(binds, newWorkers, backlog, gracefulTimeout, classpath, source);
  }

  public ServerConfig withBacklog(int newBacklog) {
    return new ServerConfig(binds, workers, newBacklog, gracefulTimeout, classpath, source);
  }

  public ServerConfig withGracefulTimeout(Duration timeout) {
    return new ServerConfig(binds, workers, backlog, timeout, classpath, source);
  }
}
