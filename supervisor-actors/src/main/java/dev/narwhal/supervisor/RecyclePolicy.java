package dev.narwhal.supervisor;

import java.util.random.RandomGenerator;

/**
 * Gunicorn's {@code max_requests} with {@code max_requests_jitter}: each worker draws its own limit
 * once, {@code maxRequests + random(0..jitter)}, so workers started together do not all recycle
 * together (the same reason Pekko's backoff has a random factor).
 *
 * @param maxRequests requests before a worker is recycled; 0 disables recycling
 * @param jitter the largest random addition
 * @param random the source of jitter; seed it in tests
 */
public record RecyclePolicy(int maxRequests, int jitter, RandomGenerator random) {
  public static final RecyclePolicy NEVER = new RecyclePolicy(0, 0, RandomGenerator.getDefault());

  public RecyclePolicy {
    if (maxRequests < 0 || jitter < 0) {
      throw new IllegalArgumentException("maxRequests and jitter must be >= 0");
    }
  }

  /** The limit for one new worker; 0 means it is never recycled. */
  public long drawLimit() {
    if (maxRequests == 0) {
      return 0;
    }
    return maxRequests + (jitter == 0 ? 0 : random.nextInt(jitter + 1));
  }

  /** Whether a worker that has served {@code served} requests has reached {@code limit}. */
  public static boolean reached(long served, long limit) {
    return limit > 0 && served >= limit;
  }
}
