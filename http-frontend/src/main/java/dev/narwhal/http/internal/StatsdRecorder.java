package dev.narwhal.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * INTERNAL API. What statsd is told about requests, recorded on the request path by
 * {@link Traffic} and taken by {@link Statsd}'s sender thread once per flush. Recording is
 * lock-free and never waits: adders for the counters, a lock-free queue for the durations (each one
 * a statsd timing, as Gunicorn sends them), bounded so that a sender that cannot keep up costs
 * dropped timings, counted, never memory or a blocked request.
 */
public final class StatsdRecorder {
  /** Timings kept between two flushes at most; beyond, they are dropped and counted. */
  static final int MAX_PENDING_TIMINGS = 20_000;

  private final LongAdder requests = new LongAdder();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  /** Requests each pool's workers ran, recorded only when there are named pools. */
  private final Map<String, LongAdder> ranByPool = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Long> durations = new ConcurrentLinkedQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();

  /** A request was answered {@code status} after {@code nanos}. */
  void answered(int status, long nanos) {
    requests.increment();
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    if (pending.incrementAndGet() > MAX_PENDING_TIMINGS) {
      pending.decrementAndGet();
      dropped.increment();
      return;
    }
    durations.offer(nanos);
  }

  /** A worker of {@code pool} ran a request (only with named pools: without, the pool's figure is gunicorn.requests). */
  void ranInPool(String pool) {
    ranByPool.computeIfAbsent(pool, p -> new LongAdder()).increment();
  }

  /** Timings and datagrams dropped since start. */
  long dropped() {
    return dropped.sum();
  }

  /** Counts a datagram the socket had no room for. */
  void droppedPacket() {
    dropped.increment();
  }

  /**
   * The statsd lines for everything recorded since the last call (names without prefix or tags):
   * {@code gunicorn.requests:N|c}, one {@code gunicorn.request.status.CODE:N|c} per status seen,
   * one {@code gunicorn.request.duration:MS|ms} per request; with named pools also
   * {@code narwhal.pool.NAME.requests:N|c} for each pool whose workers ran requests.
   */
  List<String> drain() {
    List<String> lines = new ArrayList<>();
    addCount(lines, "gunicorn.requests", requests);
    statuses.forEach((status, adder) -> addCount(lines, "gunicorn.request.status." + status, adder));
    ranByPool.forEach((pool, adder) -> addCount(lines, poolMetric(pool, "requests"), adder));
    Long nanos;
    while ((nanos = durations.poll()) != null) {
      pending.decrementAndGet();
      lines.add("gunicorn.request.duration:" + String.format(Locale.ROOT, "%.3f", nanos / 1_000_000.0) + "|ms");
    }
    return lines;
  }

  /** Adds {@code name:N|c} for what {@code adder} counted since the last call, if anything. */
  private static void addCount(List<String> lines, String name, LongAdder adder) {
    long n = adder.sumThenReset();
    if (n > 0) {
      lines.add(name + ":" + n + "|c");
    }
  }

  /** The name of a per-pool metric, {@code narwhal.pool.POOL.WHAT}: the recorder's counters and the gauges {@link Statsd} adds. */
  static String poolMetric(String pool, String what) {
    return "narwhal.pool." + pool + "." + what;
  }
}
