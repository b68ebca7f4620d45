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

  /** A request started (written by the worker's threads). */
  public void started() {
    inFlight.incrementAndGet();
  }

  /** A request counted as started was handed back without running. */
  public void cancelled() {
    inFlight.decrementAndGet();
  }

  /** A request ended, answered or given up on (written by the worker's threads). */
  public void finished() {
    inFlight.decrementAndGet();
    served.incrementAndGet();
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
