package dev.narwhal.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * Gunicorn's {@code max_requests} with {@code max_requests_jitter}, and Granian's worker lifetime:
 * each worker draws its own request limit and lifetime once, the setting plus a random
 * {@code 0..jitter}, so workers started together do not all recycle together (the same reason
 * Pekko's backoff has a random factor).
 *
 * @param maxRequests requests before a worker is recycled; 0 disables
 * @param jitter the largest random addition to {@code maxRequests}
 * @param maxLifetime how long a worker lives before it is recycled; zero disables
 * @param lifetimeJitter the largest random addition to {@code maxLifetime}
 * @param random the source of jitter; seed it in tests
 */
public record RecyclePolicy(int maxRequests, int jitter, Duration maxLifetime, Duration lifetimeJitter,
    RandomGenerator random) {
  public static final RecyclePolicy NEVER = new RecyclePolicy(0, 0, RandomGenerator.getDefault());

  public RecyclePolicy {
    if (maxRequests < 0 || jitter < 0 || maxLifetime.isNegative() || lifetimeJitter.isNegative()) {
      throw new IllegalArgumentException("limits and jitters must be >= 0");
    }
  }

  /** Recycling by request count only. */
  public RecyclePolicy(int maxRequests, int jitter, RandomGenerator random) {
    this(maxRequests, jitter, Duration.ZERO, Duration.ZERO, random);
  }

  /** The same request limits, with recycling by age. */
  public RecyclePolicy withLifetime(Duration newMaxLifetime, Duration newLifetimeJitter) {
    return new RecyclePolicy(maxRequests, jitter, newMaxLifetime, newLifetimeJitter, random);
  }

  /** The limit for one new worker; 0 means it is never recycled. */
  public long drawLimit() {
    if (maxRequests == 0) {
      return 0;
    }
    return maxRequests + (jitter == 0 ? 0 : random.nextInt(jitter + 1));
  }

  /** The lifetime of one new worker; zero means it is never recycled for its age. */
  public Duration drawLifetime() {
    if (maxLifetime.isZero()) {
      return Duration.ZERO;
    }
    long jitterMs = lifetimeJitter.toMillis();
    return maxLifetime.plusMillis(jitterMs == 0 ? 0 : random.nextLong(jitterMs + 1));
  }

  /** Whether a worker that has served {@code served} requests has reached {@code limit}. */
  public static boolean reached(long served, long limit) {
    return limit > 0 && served >= limit;
  }

  /** Whether a worker started at {@code startedAt} with {@code lifetime} has outlived it at {@code now}. */
  public static boolean outlived(Instant startedAt, Duration lifetime, Instant now) {
    return !lifetime.isZero() && !now.isBefore(startedAt.plus(lifetime));
  }
}
