package dev.narwhal.supervisor;

import java.time.Instant;
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

  void started() {
    currentStartNanos = System.nanoTime();
    inFlight.incrementAndGet();
  }

  void finished() {
    inFlight.decrementAndGet();
    served.incrementAndGet();
  }

  /** The request in hand was given up on (timed out): it no longer counts as in flight. */
  void abandoned() {
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
}
