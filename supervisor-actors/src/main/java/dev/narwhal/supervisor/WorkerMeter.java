package dev.narwhal.supervisor;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's live counters, written by the worker and read by stats without a message round trip,
 * so observing the pool never slows the request path.
 */
public final class WorkerMeter {
  private final Instant startedAt = Instant.now();
  private final Duration lifetime;
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  /** A live view of the jobs the worker's engine has registered as running, for /stats. */
  private volatile Collection<Job> running = List.of();

  /** A worker never recycled for its age. */
  public WorkerMeter() {
    this(Duration.ZERO);
  }

  /** @param lifetime its drawn {@code max-worker-lifetime}; zero for none */
  public WorkerMeter(Duration lifetime) {
    this.lifetime = lifetime;
  }

  /**
   * Where {@link #current()} finds the requests in hand: the engine's own live set of running jobs
   * (its {@code RequestRunner} registers a job there as it starts it and removes it as it ends), so
   * stats cost the request path nothing extra.
   */
  public void track(Collection<Job> running) {
    this.running = running;
  }

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

  /** A handler threw (the request is still counted as served when it ends). */
  public void failed() {
    errors.incrementAndGet();
  }

  /** Requests whose handler threw. */
  public long errors() {
    return errors.get();
  }

  /** The drawn lifetime after which the worker is recycled; zero for never. */
  public Duration lifetime() {
    return lifetime;
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
   * The requests this worker is running now (a sync worker runs at most one; gthread, virtual and
   * async ones several), oldest first, with how long each has run. A racy read: a request may
   * finish as it is read, which only makes the snapshot a moment old.
   */
  public List<Stats.CurrentRequest> current() {
    long now = System.nanoTime();
    List<Stats.CurrentRequest> current = new ArrayList<>();
    for (Job job : running) {
      long started = job.startedNanos();
      if (started == 0 || job.isAnswered()) {
        continue; // not started yet, or answered (by its handler, or 504 and abandoned)
      }
      long ageMs = Math.max(0, (now - started) / 1_000_000);
      current.add(new Stats.CurrentRequest(job.request().method(), job.request().path(), ageMs));
    }
    current.sort(Comparator.comparingLong(Stats.CurrentRequest::ageMs).reversed());
    return current;
  }
}
