package dev.narwhal.supervisor;

/**
 * The adaptive concurrency limit of {@code concurrency-limit = auto}: how many requests (running
 * plus waiting) the pool admits, adjusted from the latency the admitted ones see. Pure arithmetic:
 * it reads no clock (times and latencies are passed in), owns no thread, and is not thread-safe;
 * the {@link WorkQueue} calls it under its own lock.
 *
 * <p><b>Why a gradient, and not AIMD.</b> AIMD needs a signal that says "overloaded" per request
 * (a drop, a timeout); a server that queues has none until its backlog is full, which is exactly the
 * latency blow-up this limit exists to prevent. A gradient reads the overload from the latency itself:
 * the idea is Netflix concurrency-limits' Gradient2, {@code newLimit = limit × gradient +
 * queueAllowance}, smoothed, clamped to [min, max], where the gradient is the ratio of the latency
 * without queueing to the latency seen.
 *
 * <p><b>What it measures.</b> A client-side limiter sees only round trips, so Gradient2 estimates the
 * latency without queueing as a long-term average of them, which under sustained overload follows the
 * short-term one (the gradient drifts back to 1 and the limit creeps up again), and which never
 * learns the unloaded latency if the overload was there from the start. The server knows better: each
 * request's queue wait and its service time are measured separately ({@link Job#acceptedNanos()},
 * {@link Job#startedNanos()}), so the latency without queueing is the service time, measured in the
 * same window as the latency seen (wait plus service). An application that becomes slower by itself
 * therefore sheds nothing; only waiting does.
 *
 * <p><b>Why written here and not Netflix's {@code concurrency-limits-core}.</b> Its
 * {@code Gradient2Limit} resolves and depends only on slf4j, but it is fed one sample per request
 * through {@code Measurement.add(Number)}, which boxes a {@code Long} and a {@code Double} per
 * request, behind a second (synchronized) lock and a listener list: the hot path would allocate per
 * request and take two locks. It also cannot take the wait and the service time apart (above).
 *
 * <p><b>How it works.</b> Samples are summed over a window ({@link #WINDOW_NANOS}, and at least
 * {@link #WINDOW_SAMPLES} samples) so one slow request moves nothing; at the window's end:
 * <ul>
 *   <li><i>gradient</i> {@code TOLERANCE × meanService / mean(wait + service)}, within [0.5, 1]: 1
 *       while requests wait less than {@code TOLERANCE − 1} of a service time, below 1 (shrink) beyond
 *       that; never halving the limit in one window, so one outlier window cannot shed everything.
 *   <li><i>queue allowance</i> {@code √limit} (at least 1): added each window, so a limit that is
 *       used and sees no waiting grows, by about {@code SMOOTHING × √limit} per window.
 *   <li><i>smoothing</i>: the new limit is {@code (1 − SMOOTHING) × limit + SMOOTHING × target},
 *       then clamped to [min, max].
 *   <li>A limit that was not used (the window's most in-flight below half of it) does not grow:
 *       an idle server would otherwise drift to max and admit a burst it cannot serve.
 * </ul>
 * Under overload a pool of capacity C settles where {@code limit − TOLERANCE × C ≈ √limit}: the
 * workers never idle, and admitted requests wait about a service time or less (by that equation,
 * C = 4: a limit of about 7.8, a mean wait of 0.95 service times; C = 16: about 25, and 0.55).
 */
public final class GradientLimit {
  /** The shortest window, in nanoseconds (100 ms). */
  public static final long WINDOW_NANOS = 100_000_000L;
  /** The fewest samples in a window; a quiet window lasts until it has them. */
  public static final int WINDOW_SAMPLES = 10;
  /**
   * How much latency above the service time is tolerated before the limit shrinks. Gradient2 uses
   * 1.5 because a client can only estimate the latency without queueing; here the service time is
   * measured, so the tolerance only has to let random arrivals queue briefly near capacity. At 1.5 a
   * pool of 4 settled at a limit of 9 under overload (2.25 service times per admitted request, a
   * p99 right at twice the unloaded one); at 1.25 it settles near 8 and sheds a little sooner near
   * capacity ({@code GradientLimitQueueTest} has both sides of that trade).
   */
  public static final double TOLERANCE = 1.25;
  /** The weight of each window's target in the new limit (Gradient2's 0.2). */
  public static final double SMOOTHING = 0.2;

  private final int min;
  private final int max;
  private double limit;
  private long windowStart = Long.MIN_VALUE;
  private long windowService;
  private long windowLatency;
  private int windowCount;
  private int windowMaxInFlight;

  /**
   * @param initial the limit before any measurement
   * @param min the limit never goes below this (at least 1)
   * @param max the limit never goes above this
   */
  public GradientLimit(int initial, int min, int max) {
    if (min < 1 || max < min || initial < min || initial > max) {
      throw new IllegalArgumentException("need 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
    }
    this.min = min;
    this.max = max;
    this.limit = initial;
  }

  /** The current limit on requests in flight (running plus waiting). */
  public int limit() {
    return (int) limit;
  }

  /**
   * One admitted request finished.
   *
   * @param nowNanos when (any monotonic clock, e.g. {@link System#nanoTime()})
   * @param waitNanos how long it waited for a worker
   * @param serviceNanos how long the worker ran it
   * @param inFlight requests in flight when it finished, itself included
   */
  public void sample(long nowNanos, long waitNanos, long serviceNanos, int inFlight) {
    if (windowStart == Long.MIN_VALUE) {
      windowStart = nowNanos;
    }
    long service = Math.max(0, serviceNanos);
    windowService += service;
    windowLatency += service + Math.max(0, waitNanos);
    windowCount++;
    windowMaxInFlight = Math.max(windowMaxInFlight, inFlight);
    if (windowCount >= WINDOW_SAMPLES && nowNanos - windowStart >= WINDOW_NANOS) {
      update((double) windowService / Math.max(1, windowLatency), windowMaxInFlight);
      windowStart = nowNanos;
      windowService = 0;
      windowLatency = 0;
      windowCount = 0;
      windowMaxInFlight = 0;
    }
  }

  /** @param serviceShare the window's mean service time over its mean latency (0 to 1) */
  private void update(double serviceShare, int maxInFlight) {
    double gradient = Math.max(0.5, Math.min(1.0, TOLERANCE * serviceShare));
    if (gradient >= 1.0 && maxInFlight < limit / 2) {
      return; // not using the limit it has: no evidence it could use more
    }
    double target = limit * gradient + Math.max(1, Math.sqrt(limit));
    double next = limit * (1 - SMOOTHING) + target * SMOOTHING;
    limit = Math.max(min, Math.min(max, next));
  }
}
