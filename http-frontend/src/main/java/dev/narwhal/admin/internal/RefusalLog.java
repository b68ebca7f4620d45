package dev.narwhal.admin.internal;

import dev.narwhal.http.internal.ThrottledWarning;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Warns about admin requests refused for their token: the first one at once, later
 * ones at most once per interval (a minute) with how many were refused meanwhile. Anyone who
 * reaches the admin bind can guess tokens, so a line per refusal would let them fill the log.
 */
final class RefusalLog {
  private final ThrottledWarning warning;

  RefusalLog(Duration interval, LongSupplier nanoTime) {
    warning = new ThrottledWarning(LoggerFactory.getLogger("narwhal")::warn,
        "Admin API: refused a request ({}); further refusals are logged at most once a minute",
        "Admin API: refused {} request(s) since the warning {} s ago (latest: {})", interval, nanoTime);
  }

  RefusalLog() {
    this(Duration.ofMinutes(1), System::nanoTime);
  }

  /** Records one refusal; {@code reason} says of what and why ("control request, wrong token"). */
  void refused(String reason) {
    warning.warn(reason);
  }
}
