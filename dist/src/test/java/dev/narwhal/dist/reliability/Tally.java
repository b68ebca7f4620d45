package dev.narwhal.dist.reliability;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Every request of one kind, accounted for: sent, answered by status, failed by exception class.
 * {@code lost = sent - answered - failed} is what is still open, so it is 0 once the load has
 * settled, and a request can never go uncounted. Latency is measured from the moment the request
 * was due (not when it went out), so a stalled client loop shows as latency, not as fewer requests.
 */
public final class Tally {
  private final LongAdder sent = new LongAdder();
  private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder unexpected = new LongAdder();
  private final Histogram micros = new SynchronizedHistogram(60_000_000L, 3);

  public void sent() {
    sent.increment();
  }

  /** Takes back a {@link #sent()}: the request is counted in another tally after all. */
  public void unsent() {
    sent.decrement();
  }

  public void answered(int status, boolean expected, long latencyMicros) {
    statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
    if (!expected) {
      unexpected.increment();
    }
    micros.recordValue(Math.min(latencyMicros, micros.getHighestTrackableValue()));
  }

  public void failed(Throwable error) {
    // unwrap the future's wrapper only: a ConnectException's cause is a ClosedChannelException, and
    // "refused" is the fact that matters
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    String name = e.getClass().getSimpleName();
    if (e.getMessage() != null && name.equals("IOException")) {
      name += "(" + e.getMessage() + ")";
    }
    errors.computeIfAbsent(name, k -> new LongAdder()).increment();
  }

  public long sentCount() {
    return sent.sum();
  }

  public long answered() {
    return statuses.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long answered(int status) {
    LongAdder a = statuses.get(status);
    return a == null ? 0 : a.sum();
  }

  public long failedCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long unexpected() {
    return unexpected.sum();
  }

  /** Requests neither answered nor failed (yet). */
  public long open() {
    return sentCount() - answered() - failedCount();
  }

  public Map<Integer, Long> byStatus() {
    Map<Integer, Long> out = new TreeMap<>();
    statuses.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  public Map<String, Long> byError() {
    Map<String, Long> out = new TreeMap<>();
    errors.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** The latency at {@code percentile} (0-100) in milliseconds. */
  public double latencyMs(double percentile) {
    return micros.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Adds {@code other}'s counts into this one (for a total over several tallies). */
  public void addAll(Tally other) {
    sent.add(other.sentCount());
    other.statuses.forEach((k, v) -> statuses.computeIfAbsent(k, s -> new LongAdder()).add(v.sum()));
    other.errors.forEach((k, v) -> errors.computeIfAbsent(k, e -> new LongAdder()).add(v.sum()));
    unexpected.add(other.unexpected());
    micros.add(other.micros);
  }

  @Override
  public String toString() {
    return String.format("sent %d, answered %s, failed %s, open %d, unexpected %d, p50 %.1f ms, p99 %.1f ms, max %.1f ms",
        sentCount(), byStatus(), byError(), open(), unexpected(), latencyMs(50), latencyMs(99), latencyMs(100));
  }
}
