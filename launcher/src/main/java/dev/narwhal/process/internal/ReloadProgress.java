package dev.narwhal.process.internal;

import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;

/**
 * INTERNAL API. Whether a reload has settled, from successive snapshots of the pool. A reload
 * moves the arbiter to a new phase; an aborted one moves it back to the phase before. Either way
 * it has settled once the phase has moved and the pool is steady again: complete, nothing booting
 * or draining, every worker in the arbiter's current phase.
 */
final class ReloadProgress {
  private final int phaseBefore;
  private boolean moved;

  ReloadProgress(int phaseBefore) {
    this.phaseBefore = phaseBefore;
  }

  boolean settled(Stats stats) {
    moved |= stats.phase() != phaseBefore;
    return moved && steady(stats);
  }

  static boolean steady(Stats stats) {
    return stats.workers().size() == stats.targetWorkers()
        && stats.workersIn(WorkerState.BOOTING) == 0 && stats.workersIn(WorkerState.DRAINING) == 0
        && stats.workers().stream().allMatch(w -> w.phase() == stats.phase());
  }
}
