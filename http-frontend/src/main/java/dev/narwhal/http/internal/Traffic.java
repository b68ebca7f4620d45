package dev.narwhal.http.internal;

import dev.narwhal.supervisor.Job;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * INTERNAL API. What the front end has received and answered: lifetime totals and the recent
 * per-second picture for {@code /stats} and the dashboard (always kept), and Kamon's per-request
 * instruments when metrics are on.
 *
 * <p>Called by {@link HttpFrontend} on the request path, once when a request arrives and once when
 * its response is ready, on whichever thread completes it (often the worker's). Everything here is
 * an adder, an atomic, a lock-free Kamon instrument or {@link StatsdRecorder}'s lock-free queue:
 * recording never blocks.
 */
public final class Traffic {
  private final LongAdder received = new LongAdder();
  /** Responses by status class: index 0 is 1xx, ..., 4 is 5xx. */
  private final LongAdder[] answered = new LongAdder[5];
  private final AtomicInteger inFlight = new AtomicInteger();
  private final LongAdder overflowed = new LongAdder();
  private final LongAdder abandoned = new LongAdder();
  private volatile LongSupplier bodyBytes = () -> 0;
  private final RecentTraffic recent = new RecentTraffic();
  private final Metrics metrics;
  private final StatsdRecorder statsd;

  /** @param metrics Kamon's instruments, or null when metrics are off */
  public Traffic(Metrics metrics) {
    this(metrics, null);
  }

  /**
   * @param metrics Kamon's instruments, or null when metrics are off
   * @param statsd where statsd's request metrics are recorded, or null when statsd-host is not set
   */
  public Traffic(Metrics metrics, StatsdRecorder statsd) {
    this.metrics = metrics;
    this.statsd = statsd;
    for (int i = 0; i < answered.length; i++) {
      answered[i] = new LongAdder();
    }
  }

  /** Nothing but the totals: for a front end without metrics (tests, embedding). */
  public static Traffic untracked() {
    return new Traffic(null);
  }

  /** A request arrived; returns the time it did, for {@link #answered}. */
  long received() {
    received.increment();
    inFlight.incrementAndGet();
    if (metrics != null) {
      metrics.received();
    }
    return System.nanoTime();
  }

  /** The request that arrived at {@code receivedNanos} is answered {@code status}. */
  void answered(String method, int status, long receivedNanos) {
    long nanos = System.nanoTime() - receivedNanos;
    inFlight.decrementAndGet();
    int statusClass = status / 100;
    if (statusClass >= 1 && statusClass <= 5) {
      answered[statusClass - 1].increment();
    }
    recent.record(nanos, status >= 500);
    if (metrics != null) {
      metrics.answered(method, status, nanos);
    }
    if (statsd != null) {
      statsd.answered(status, nanos);
    }
  }

  /** A worker has answered {@code job}: records how long it waited for the worker, if one ran it. */
  void ran(Job job) {
    ran(job, null);
  }

  /** As {@link #ran(Job)}, and counted for {@code pool} (tagged metrics, statsd's per pool) unless it is null. */
  void ran(Job job, String pool) {
    long started = job.startedNanos();
    if (statsd != null && pool != null && started != 0) {
      statsd.ranInPool(pool);
    }
    if (metrics != null && started != 0) {
      long waited = Math.max(0, started - job.acceptedNanos());
      metrics.queued(waited);
      if (pool != null) {
        metrics.ranInPool(pool, waited);
      }
    }
  }

  /** Requests received since start. */
  public long requests() {
    return received.sum();
  }

  /** Responses since start with a status of {@code statusClass}xx (1 to 5). */
  public long responses(int statusClass) {
    return answered[statusClass - 1].sum();
  }

  /** Requests received and not yet answered (waiting, running, or being read). */
  public int inFlight() {
    return inFlight.get();
  }

  /** A request this node's full backlog could not take was handed to another node (cluster.overflow). */
  void forwarded() {
    overflowed.increment();
    if (metrics != null) {
      metrics.overflowed();
    }
  }

  /** Requests handed to another node since start. */
  public long overflowed() {
    return overflowed.sum();
  }

  /** A request waiting for a worker was dropped, never run: its client had closed the connection. */
  void abandoned() {
    abandoned.increment();
  }

  /** Requests dropped from the backlog since start because their clients had gone. */
  public long abandonedRequests() {
    return abandoned.sum();
  }

  /** Where {@link #bodyBytesBuffered} reads from (the front end's max-body-buffer). */
  void measureBodies(LongSupplier bytes) {
    bodyBytes = bytes;
  }

  /** Request body bytes held now, in memory and spooled, by requests not yet answered. */
  public long bodyBytesBuffered() {
    return bodyBytes.getAsLong();
  }

  /** The last minutes, second by second. */
  public RecentTraffic recent() {
    return recent;
  }
}
