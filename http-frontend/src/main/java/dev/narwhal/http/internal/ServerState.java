package dev.narwhal.http.internal;

import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.util.Locale;

/**
 * INTERNAL API. What the server is doing, computed in one place from a pool snapshot and whether a
 * stop was asked for: {@code /health/ready}, {@code /stats}, a cluster node's report and the
 * metrics all read this, so they cannot disagree about readiness.
 *
 * <p>Readiness is the rule a load balancer acts on: a stop makes the server not ready before
 * anything else of the stop happens, and a rolling reload keeps it ready (a worker retires only
 * after its successor has booted).
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
    if (stats.bootedWorkers() < stats.targetWorkers()) {
      return Condition.BOOTING;
    }
    // a draining worker of another phase is on its way out and no longer serves
    boolean stale = stats.workers().stream()
        .anyMatch(w -> w.phase() != stats.phase() && w.state() != WorkerState.DRAINING);
    return stale ? Condition.RELOADING : Condition.SERVING;
  }

  /** Whether a load balancer should send requests: the target number of workers booted, no stop asked for. */
  public boolean ready() {
    return condition == Condition.SERVING || condition == Condition.RELOADING;
  }

  /** Why the server is or is not ready, for the operator. */
  public String reason() {
    return condition == Condition.DRAINING ? "the server is stopping"
        : stats.bootedWorkers() + " of " + stats.targetWorkers() + " workers booted";
  }

  /** Busy workers over the target (0 to 1): what the dashboard draws and the gauge reports. */
  public double utilization() {
    return Math.min(1.0, stats.workersIn(WorkerState.BUSY) / (double) Math.max(1, stats.targetWorkers()));
  }
}
