package dev.narwhal;

import dev.narwhal.config.PoolRoutes;

/**
 * A worker as hooks see it.
 *
 * @param index its slot, 1-based, within its pool; a replacement takes the slot of the worker it
 *     replaces
 * @param phase the generation it was started in; each reload starts a new phase
 * @param served requests it has answered so far
 * @param pool the pool it serves: {@value #DEFAULT_POOL}, or a name from {@code pools { }}
 */
public record WorkerInfo(int index, int phase, long served, String pool) {
  /** The pool every request no route names goes to, and the only one without {@code pools}. */
  public static final String DEFAULT_POOL = PoolRoutes.DEFAULT;

  /** A worker of the default pool. */
  public WorkerInfo(int index, int phase, long served) {
    this(index, phase, served, DEFAULT_POOL);
  }
}
