package dev.narwhal.supervisor;

/**
 * Gunicorn's {@code worker_class}: how a worker runs its requests. Every class keeps the same
 * supervision (per-request timeout, recycling, graceful drain, hooks, stats); they differ in how
 * many requests one worker runs at once and on which threads.
 */
public enum WorkerClass {
  /** One request at a time on the worker's own platform thread (gunicorn's default). */
  SYNC,
  /** Up to {@code threads} requests at once on a thread pool the worker owns. */
  GTHREAD,
  /** Each request on its own virtual thread, up to {@code worker-connections} at once. */
  VIRTUAL,
  /** {@code AsyncApplication}s: up to {@code worker-connections} in flight, no thread held while waiting. */
  ASYNC;

  /** The name used by {@code --worker-class}. */
  public String settingName() {
    return name().toLowerCase();
  }
}
