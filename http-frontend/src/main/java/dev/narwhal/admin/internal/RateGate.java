package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. At most one pass per interval, server-wide: for admin reads that are expensive for
 * the whole JVM (a thread dump pauses every thread at a safepoint; a cluster view asks every node).
 * Over the limit the answer is 429 with {@code Retry-After}, and nothing runs.
 */
final class RateGate {
  private final String what;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  /** When the last pass was let through; starts an interval in the past, so the first one passes. */
  private final AtomicLong last;

  RateGate(String what, Duration interval, LongSupplier nanoTime) {
    this.what = what;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.last = new AtomicLong(nanoTime.getAsLong() - intervalNanos);
  }

  RateGate(String what, Duration interval) {
    this(what, interval, System::nanoTime);
  }

  /** Zero when a pass is let through now (and taken), else how long until the next one may be. */
  long tryPass() {
    while (true) {
      long now = nanoTime.getAsLong();
      long previous = last.get();
      long wait = previous + intervalNanos - now;
      if (wait > 0) {
        return wait;
      }
      if (last.compareAndSet(previous, now)) {
        return 0;
      }
    }
  }

  /** {@code inner}, or 429 when it ran less than an interval ago. */
  Route limit(Supplier<Route> inner) {
    long wait = tryPass();
    if (wait == 0) {
      return inner.get();
    }
    long seconds = Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    return complete(Json.error(429, what + " is limited to one every "
            + Duration.ofNanos(intervalNanos).toMillis() + " ms server-wide; retry in " + seconds + " s")
        .addHeader(RawHeader.create("Retry-After", Long.toString(seconds))));
  }
}
