package dev.narwhal.http.internal;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

/**
 * INTERNAL API. A warning about something any client can cause (a refused admin token, a bad
 * PROXY header, a malformed HTTP/2 connection): the first at once, later ones at most once per
 * interval (a minute) with how many there were meanwhile.
 *
 * <p>Hazard: one line each would let anyone who reaches a bind fill the log (and its disk) and
 * bury the lines that matter.
 */
public final class ThrottledWarning {
  /** Where each warning's line goes. */
  private final Consumer<String> sink;
  private final String first;
  private final String later;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private boolean warnedYet;
  private long lastWarned;
  /** Occurrences since the last warning, not yet reported. */
  private long unreported;

  /**
   * @param first the first warning, with one {@code {}} for the detail; it should say that further
   *     ones are logged at most once a minute
   * @param later each later warning, with {@code {}} for how many, how many seconds since the last
   *     warning, and the latest detail
   */
  public ThrottledWarning(Consumer<String> sink, String first, String later, Duration interval, LongSupplier nanoTime) {
    this.sink = sink;
    this.first = first;
    this.later = later;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /** Once a minute at most, by the system's clock, to {@code sink}. */
  public ThrottledWarning(Consumer<String> sink, String first, String later) {
    this(sink, first, later, Duration.ofMinutes(1), System::nanoTime);
  }

  /** Once a minute at most, by the system's clock, as warnings of {@code log}. */
  public ThrottledWarning(Logger log, String first, String later) {
    this(log::warn, first, later);
  }

  /** Records one occurrence, warning of it unless the last warning was within the interval. */
  public synchronized void warn(String detail) {
    long now = nanoTime.getAsLong();
    unreported++;
    if (warnedYet && now - lastWarned < intervalNanos) {
      return;
    }
    Object[] values = warnedYet
        ? new Object[] {unreported, Math.max(1, (now - lastWarned) / 1_000_000_000L), detail}
        : new Object[] {detail};
    sink.accept(MessageFormatter.arrayFormat(warnedYet ? later : first, values).getMessage());
    warnedYet = true;
    lastWarned = now;
    unreported = 0;
  }
}
