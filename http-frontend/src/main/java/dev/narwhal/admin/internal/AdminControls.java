package dev.narwhal.admin.internal;

import dev.narwhal.config.PoolRoutes;
import dev.narwhal.cluster.ClusterAdmin;
import dev.narwhal.http.internal.Metrics;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.http.internal.ServerState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * INTERNAL API. What the admin API reads from and does to the server; implemented by
 * {@code dev.narwhal.ServerControls}, so the routes never reach into actors themselves.
 */
public interface AdminControls {
  /**
   * What the server is doing, from a fresh snapshot of the pool: the one state that health,
   * {@code /stats} and a node's report all show.
   */
  CompletionStage<ServerState> state();

  /** Whether a stop has been asked for: from that moment the server is not ready. */
  boolean stopping();

  /** When the server started serving. */
  Instant startedAt();

  /** Narwhal's version. */
  String version();

  /** max-stuck-threads as of the start or the last reload: above it the server is not live (0: never). */
  int maxStuckThreads();

  /** The front end's counters. */
  Traffic traffic();

  /** Kamon's metrics, when {@code metrics} is on. */
  Optional<Metrics> metrics();

  /** How long a graceful stop waits. */
  Duration gracefulTimeout();

  /** Stops the server: graceful (SIGTERM) or quick (SIGINT). Returns at once. */
  void stop(boolean quick);

  /** Adds {@code delta} workers, or retires -{@code delta} (never below one), as TTIN/TTOU. */
  void scale(int delta);

  /** The worker pools' names, {@code default} first. */
  default List<String> pools() {
    return List.of(PoolRoutes.DEFAULT);
  }

  /** As {@link #scale(int)}, for the pool named {@code pool}, which must be one of {@link #pools()}. */
  default void scale(String pool, int delta) {
    if (!pool.equals(PoolRoutes.DEFAULT)) {
      throw new IllegalArgumentException("no pool named '" + pool + "'");
    }
    scale(delta);
  }

  /**
   * Reloads as SIGHUP does (re-reading the configuration and the application, for the CLI);
   * blocks while they are read, and throws, with a message for the caller, when they are refused.
   */
  void reload() throws Exception;

  /** Reopens the log files, as SIGUSR1 does; blocks while they are opened. */
  void reopenLogs();

  /** This node's part in the cluster; empty when the cluster is off. */
  default Optional<ClusterAdmin> cluster() {
    return Optional.empty();
  }
}
