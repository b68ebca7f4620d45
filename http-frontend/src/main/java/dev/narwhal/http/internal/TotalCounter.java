package dev.narwhal.http.internal;

import kamon.metric.Counter;

/**
 * INTERNAL API. A Kamon counter that follows a running total read from a snapshot (restarts,
 * requests shed): each reading adds what the total grew by since the last one, so the counter
 * never counts a total twice and never goes back. Used by the metrics sampler thread only.
 */
final class TotalCounter {
  private final Counter counter;
  private long counted;

  TotalCounter(Counter counter) {
    this.counter = counter;
  }

  /** The snapshot's total is now {@code total}. */
  void advanceTo(long total) {
    if (total > counted) {
      counter.increment(total - counted);
      counted = total;
    }
  }
}
