package dev.narwhal.supervisor;

/**
 * The arbiter's generations of workers: the current phase with its settings, and the reload in
 * progress, if any, as one value. Immutable: the arbiter replaces it on each transition
 * ({@link #begin}, {@link #abort}, {@link #complete}), so the transitions are unit-tested without
 * actors. Which worker to replace next is the {@link WorkerPool}'s arithmetic, not this class's.
 *
 * @param current the phase new workers are spawned in, and their settings
 * @param highestPhase the highest phase ever issued
 * @param stage {@link Settled}, {@link Forward} (a reload under way) or {@link Back} (an aborted
 *     reload's workers being replaced)
 */
record Rollout(Generation current, int highestPhase, Stage stage) {

  /** A phase number and the settings its workers run. */
  record Generation(int phase, PoolSettings settings) {}

  /** Where a rollout is. */
  sealed interface Stage {}

  /** Every worker is, or is being made, current; nothing to fall back to. */
  enum Settled implements Stage { INSTANCE }

  /**
   * A reload is replacing workers one at a time; if a worker of the new phase cannot boot, the
   * reload is aborted and {@code from} is current again.
   */
  record Forward(Generation from) implements Stage {}

  /** A reload was aborted; its workers that did boot, of phase {@code aborted}, are being replaced. */
  record Back(int aborted) implements Stage {}

  /** The first generation, phase 1. */
  static Rollout first(PoolSettings settings) {
    return new Rollout(new Generation(1, settings), 1, Settled.INSTANCE);
  }

  int phase() {
    return current.phase();
  }

  PoolSettings settings() {
    return current.settings();
  }

  /** Whether a reload is under way and may still be aborted. */
  boolean reloading() {
    return stage instanceof Forward;
  }

  /**
   * A reload to {@code next}: a new phase, falling back to the current one if it fails. The new
   * phase takes the next number ever issued, never the current one + 1: after an aborted reload
   * the current phase goes back, and reusing the aborted number would make its leftovers look current.
   */
  Rollout begin(PoolSettings next) {
    int phase = highestPhase + 1;
    return new Rollout(new Generation(phase, next), phase, new Forward(current));
  }

  /**
   * The reload under way gives up: the generation it replaced is current again, and the aborted
   * phase's workers that did boot are to be rolled back ({@link Back}; {@link #complete} if there
   * are none).
   *
   * @throws IllegalStateException if no reload is under way
   */
  Rollout abort() {
    if (!(stage instanceof Forward forward)) {
      throw new IllegalStateException("no reload to abort in " + stage);
    }
    return new Rollout(forward.from(), highestPhase, new Back(phase()));
  }

  /** Every worker is current: nothing is left to fall back to or to roll back. */
  Rollout complete() {
    return stage == Settled.INSTANCE ? this : new Rollout(current, highestPhase, Settled.INSTANCE);
  }

  /** The current generation scaled to {@code workers}; a reload under way keeps its fallback. */
  Rollout withWorkers(int workers) {
    return new Rollout(new Generation(phase(), settings().withWorkers(workers)), highestPhase, stage);
  }

  /** Whether workers of {@code phase} may serve again: it is current, or the one an abort goes back to. */
  boolean mayBecomeCurrent(int phase) {
    return phase == phase() || stage instanceof Forward forward && forward.from().phase() == phase;
  }
}
