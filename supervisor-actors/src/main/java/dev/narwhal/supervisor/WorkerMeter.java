package dev.narwhal.supervisor;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's live counters, written by the worker and read by stats without a message round trip,
 * so observing the pool never slows the request path.
 */
public final class WorkerMeter {
  private final Instant startedAt = Instant.now();
  private final AtomicLong served = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile long currentStartNanos;
  /** The request in hand, for /stats; a plain volatile write per request, read by stats only. */
  private volatile Job current;

  /** A worker starts {@code job}: notes it for stats, and when it started for the queue-time metric. */
  void started(Job job) {
    long now = System.nanoTime();
    job.markStarted(now);
    current = job;
    currentStartNanos = now;
    inFlight.incrementAndGet();
  }

  void finished() {
    current = null;
    inFlight.decrementAndGet();
    served.incrementAndGet();
  }

  /** The request in hand was given up on (timed out): it no longer counts as in flight. */
  void abandoned() {
    current = null;
    inFlight.decrementAndGet();
  }

  long currentStartNanos() {
    return currentStartNanos;
  }

  public long served() {
    return served.get();
  }

  public int inFlight() {
    return inFlight.get();
  }

  public Instant startedAt() {
    return startedAt;
  }

  /**
   * The requests this worker is running now (a sync worker runs at most one), with how long each
   * has run. A racy read: the request may finish as it is read, which only makes the snapshot
   * a moment old.
   */
  public List<Stats.CurrentRequest> current() {
    Job job = current;
    long started = job == null ? 0 : job.startedNanos();
    if (job == null || started == 0) {
      return List.of();
    }
    long ageMs = Math.max(0, (System.nanoTime() - started) / 1_000_000);
    return List.of(new Stats.CurrentRequest(job.request().method(), job.request().path(), ageMs));
  }
}
