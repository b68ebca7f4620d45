package dev.narwhal.http.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * INTERNAL API. The last {@link #SECONDS} seconds of responses, one slot per wall-clock second:
 * how many, how many were 5xx, and a coarse latency histogram (4 buckets per power of two of
 * microseconds, so percentiles are within 25%). It feeds the dashboard's rate and latency charts
 * through {@code /stats}, and works with metrics off.
 *
 * <p>Lock-free on the write side: a slot is recycled for a new second by whichever writer first
 * sees it stale (a compare-and-set on its second), then cleared. A writer racing that clear can
 * lose its sample; at most a few per second boundary, which a dashboard can afford and the request
 * path cannot (it must not wait).
 */
public final class RecentTraffic {
  /** How far back it remembers. */
  public static final int SECONDS = 300;
  /** 0..7 µs exactly, then 4 per power of two up to 2^40 µs (12 days): every latency fits. */
  static final int BUCKETS = 8 + 38 * 4;

  private final Slot[] slots = new Slot[SECONDS];
  private final LongSupplier clockMillis;

  public RecentTraffic() {
    this(System::currentTimeMillis);
  }

  RecentTraffic(LongSupplier clockMillis) {
    this.clockMillis = clockMillis;
    for (int i = 0; i < SECONDS; i++) {
      slots[i] = new Slot();
    }
  }

  /** One response, {@code nanos} after its request arrived. */
  void record(long nanos, boolean serverError) {
    long second = clockMillis.getAsLong() / 1000;
    Slot slot = slots[(int) (second % SECONDS)];
    long seen = slot.second.get();
    if (seen != second) {
      if (seen > second) {
        return; // this writer was delayed past the slot's reuse: drop the late sample
      }
      if (slot.second.compareAndSet(seen, second)) {
        slot.clear();
      }
    }
    slot.count.incrementAndGet();
    if (serverError) {
      slot.errors.incrementAndGet();
    }
    slot.latency.incrementAndGet(bucket(nanos / 1000));
  }

  /**
   * The last {@code seconds} seconds, oldest first, the current (incomplete) one last; seconds
   * without traffic are zeros, and NaN percentiles.
   */
  public Window window(int seconds) {
    int n = Math.min(seconds, SECONDS - 1);
    long now = clockMillis.getAsLong() / 1000;
    Window w = new Window(now, new long[n], new long[n], new double[n], new double[n], new double[n]);
    long[] histogram = new long[BUCKETS];
    for (int i = 0; i < n; i++) {
      Arrays.fill(histogram, 0);
      long second = now - (n - 1) + i;
      if (read(second, histogram, w.counts, w.errors, i)) {
        w.p50Ms[i] = percentileMs(histogram, 0.5);
        w.p95Ms[i] = percentileMs(histogram, 0.95);
        w.p99Ms[i] = percentileMs(histogram, 0.99);
      } else {
        w.p50Ms[i] = w.p95Ms[i] = w.p99Ms[i] = Double.NaN;
      }
    }
    return w;
  }

  /** Totals over the last {@code seconds} seconds, the current one included. */
  public Summary summary(int seconds) {
    int n = Math.min(seconds, SECONDS - 1);
    long now = clockMillis.getAsLong() / 1000;
    long[] histogram = new long[BUCKETS];
    long[] counts = new long[1];
    long[] errors = new long[1];
    for (long second = now - (n - 1); second <= now; second++) {
      read(second, histogram, counts, errors, 0);
    }
    return new Summary(n, counts[0], errors[0], percentileMs(histogram, 0.5), percentileMs(histogram, 0.95),
        percentileMs(histogram, 0.99));
  }

  /** Adds {@code second}'s numbers into the arrays at {@code i}; false if nothing is recorded for it. */
  private boolean read(long second, long[] histogram, long[] counts, long[] errors, int i) {
    Slot slot = slots[(int) (second % SECONDS)];
    if (slot.second.get() != second) {
      return false;
    }
    counts[i] += slot.count.get();
    errors[i] += slot.errors.get();
    for (int b = 0; b < BUCKETS; b++) {
      histogram[b] += slot.latency.get(b);
    }
    return true;
  }

  /**
   * Seconds of traffic, oldest first: per second, responses, 5xx responses and latency percentiles
   * in ms (NaN for a second without responses).
   *
   * @param endSecond the epoch second of the last entry (the current, incomplete second)
   */
  public record Window(long endSecond, long[] counts, long[] errors, double[] p50Ms, double[] p95Ms,
      double[] p99Ms) {}

  /** Responses over a span of seconds, with latency percentiles in ms (NaN without traffic). */
  public record Summary(int seconds, long requests, long errors, double p50Ms, double p95Ms, double p99Ms) {
    public double rate() {
      return seconds == 0 ? 0 : requests / (double) seconds;
    }
  }

  /** The latency bucket of {@code micros}. */
  static int bucket(long micros) {
    if (micros < 8) {
      return (int) Math.max(0, micros);
    }
    int log2 = Math.min(40, 63 - Long.numberOfLeadingZeros(micros));
    int sub = (int) ((micros >>> (log2 - 2)) & 3);
    return 8 + (log2 - 3) * 4 + sub;
  }

  /** The exclusive upper bound of bucket {@code b}, in µs. */
  static long upperMicros(int b) {
    if (b < 8) {
      return b + 1;
    }
    int log2 = (b - 8) / 4 + 3;
    int sub = (b - 8) % 4;
    return (long) (5 + sub) << (log2 - 2);
  }

  /** A quantile as the upper bound of the bucket it falls in: never understated. */
  static double percentileMs(long[] histogram, double q) {
    long total = 0;
    for (long c : histogram) {
      total += c;
    }
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int b = 0; b < histogram.length; b++) {
      seen += histogram[b];
      if (seen >= rank) {
        return upperMicros(b) / 1000.0;
      }
    }
    return upperMicros(histogram.length - 1) / 1000.0;
  }

  private static final class Slot {
    final AtomicLong second = new AtomicLong(-1);
    final AtomicLong count = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLongArray latency = new AtomicLongArray(BUCKETS);

    void clear() {
      count.set(0);
      errors.set(0);
      for (int b = 0; b < BUCKETS; b++) {
        latency.set(b, 0);
      }
    }
  }
}
