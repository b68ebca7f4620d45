package dev.narwhal.admin.internal;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Warns about admin requests refused for their token: the first one at once, later
 * ones at most once per interval (a minute) with how many were refused meanwhile.
 *
 * <p>Hazard: one line per refusal would let anyone who reaches the admin bind fill the error log
 * (and its disk) just by guessing tokens, and bury the lines that matter.
 */
final class RefusalLog {
  private static final Logger log = LoggerFactory.getLogger("narwhal");

  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private boolean warnedYet;
  private long lastWarned;
  /** Refusals since the last warning, not yet reported. */
  private long unreported;

  RefusalLog(Duration interval, LongSupplier nanoTime) {
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  RefusalLog() {
    this(Duration.ofMinutes(1), System::nanoTime);
  }

  /** Records one refusal; {@code reason} says of what and why ("control request, wrong token"). */
  synchronized void refused(String reason) {
    long now = nanoTime.getAsLong();
    unreported++;
    if (warnedYet && now - lastWarned < intervalNanos) {
      return;
    }
    if (!warnedYet) {
      log.warn("Admin API: refused a request ({}); further refusals are logged at most once a minute", reason);
    } else {
      log.warn("Admin API: refused {} request(s) since the warning {} s ago (latest: {})", unreported,
          Math.max(1, (now - lastWarned) / 1_000_000_000L), reason);
    }
    warnedYet = true;
    lastWarned = now;
    unreported = 0;
  }
}
