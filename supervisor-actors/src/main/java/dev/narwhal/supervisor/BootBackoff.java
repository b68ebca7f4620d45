package dev.narwhal.supervisor;

import java.time.Duration;
import java.util.Optional;

/**
 * Consecutive boot failures, and what they mean: respawn after an exponential backoff, and give up
 * past {@link #MAX_FAILURES} instead of respawning forever (gunicorn halts on WORKER_BOOT_ERROR;
 * Pekko's {@code restart().withLimit}). Any boot resets the count. Immutable.
 *
 * @param inARow boot failures since the last boot
 */
record BootBackoff(int inARow) {

  /** Consecutive boot failures after which the arbiter gives up. */
  static final int MAX_FAILURES = 5;

  private static final long MAX_DELAY_MS = 5_000;

  static final BootBackoff NONE = new BootBackoff(0);

  BootBackoff failed() {
    return new BootBackoff(inARow + 1);
  }

  /** Whether the pool cannot be kept alive: too many boots in a row have failed. */
  boolean exhausted() {
    return inARow >= MAX_FAILURES;
  }

  /** How long to wait before the next spawn: none while boots succeed, then 200 ms doubling up to 5 s. */
  Optional<Duration> delay() {
    if (inARow == 0) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(Math.min(MAX_DELAY_MS, 100L << Math.min(inARow, 6))));
  }
}
