package dev.narwhal.http.internal;

import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * INTERNAL API. What the server is doing, computed in one place from a pool snapshot and whether a
 * stop was asked for: {@code /health/ready}, {@code /stats}, a cluster node's report and the
 * metrics all read this, so they cannot disagree about readiness.
 *
 * <p>Readiness is the rule a load balancer acts on: a stop makes the server not ready before
 * anything else of the stop happens, and a rolling reload keeps it ready (a worker retires only
 * after its successor has booted). With named pools it counts every pool's workers: a pool short
 * of booted workers cannot serve its routes, as the default pool cannot serve the rest.
 *
 * @param condition the one word every report uses
 * @param stats the snapshot the condition was computed from
 */
public record ServerState(Condition condition, Stats stats) {
  /** In order of precedence: a stopping server is draining even while workers boot. */
  public enum Condition {
    /** A stop was asked for: accepted requests drain, nothing new should come. */
    DRAINING,
    /** Fewer workers booted than the target (starting, or replacing a dead worker). */
    BOOTING,
    /**
     * Enough workers booted, but some of another phase still serve: an older one during a rolling
     * reload, or an aborted newer one while it is rolled back.
     */
    RELOADING,
    /** Every worker booted and of the current phase. */
    SERVING;

    /** The word in JSON documents and logs. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static ServerState of(Stats stats, boolean stopping) {
    return new ServerState(condition(stats, stopping), stats);
  }

  private static Condition condition(Stats stats, boolean stopping) {
    if (stopping) {
      return Condition.DRAINING;
    }
    Collection<Stats> pools = stats.byPool().values();
    if (pools.stream().anyMatch(ServerState::isShort)) {
      return Condition.BOOTING;
    }
    return pools.stream().anyMatch(ServerState::hasStaleWorkers) ? Condition.RELOADING : Condition.SERVING;
  }

  /** Fewer of the pool's workers booted than its target. */
  private static boolean isShort(Stats pool) {
    return pool.bootedWorkers() < pool.targetWorkers();
  }

  /** A draining worker of another phase is on its way out and no longer serves. */
  private static boolean hasStaleWorkers(Stats pool) {
    return pool.workers().stream().anyMatch(w -> w.phase() != pool.phase() && w.state() != WorkerState.DRAINING);
  }

  /** Every pool's booted workers. */
  public long bootedWorkers() {
    return stats.byPool().values().stream().mapToLong(Stats::bootedWorkers).sum();
  }

  /** Every pool's target. */
  public int targetWorkers() {
    return stats.byPool().values().stream().mapToInt(Stats::targetWorkers).sum();
  }

  /** Whether a load balancer should send requests: the target number of workers booted, no stop asked for. */
  public boolean ready() {
    return condition == Condition.SERVING || condition == Condition.RELOADING;
  }

  /** Why the server is or is not ready, for the operator. */
  public String reason() {
    if (condition == Condition.DRAINING) {
      return "the server is stopping";
    }
    String reason = bootedWorkers() + " of " + targetWorkers() + " workers booted";
    Map<String, Stats> pools = stats.byPool();
    List<String> shortOf = pools.size() < 2 ? List.of() : pools.entrySet().stream()
        .filter(e -> isShort(e.getValue()))
        .map(e -> e.getKey() + ": " + e.getValue().bootedWorkers() + " of " + e.getValue().targetWorkers())
        .toList();
    return shortOf.isEmpty() ? reason : reason + " (" + String.join(", ", shortOf) + ")";
  }

  /** Busy workers over the target (0 to 1): what the dashboard draws and the gauge reports. */
  public double utilization() {
    return Math.min(1.0, stats.workersIn(WorkerState.BUSY) / (double) Math.max(1, stats.targetWorkers()));
  }
}
