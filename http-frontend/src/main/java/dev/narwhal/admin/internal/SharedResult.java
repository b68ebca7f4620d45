package dev.narwhal.admin.internal;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * INTERNAL API. One result shared by everyone who asks within an interval: the first request
 * starts the work, the others (while it runs, and for the interval after it started) get the same
 * stage. For the cluster view, which asks every node: however many clients poll, the fan-out
 * happens at most once per interval.
 *
 * <p>A 429 would bound it as well, but the cluster view is what scripts and dashboards poll, and a
 * view at most an interval old serves them better than a refusal they must retry.
 */
final class SharedResult<T> {
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private CompletionStage<T> latest;
  private long startedAt;

  SharedResult(Duration maxAge, LongSupplier nanoTime) {
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  SharedResult(Duration maxAge) {
    this(maxAge, System::nanoTime);
  }

  /** The result started less than an interval ago, or a fresh one from {@code work}. */
  synchronized CompletionStage<T> get(Supplier<CompletionStage<T>> work) {
    long now = nanoTime.getAsLong();
    if (latest == null || now - startedAt >= maxAgeNanos) {
      latest = work.get();
      startedAt = now;
    }
    return latest;
  }
}
