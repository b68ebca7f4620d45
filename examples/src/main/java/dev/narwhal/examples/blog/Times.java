package dev.narwhal.examples.blog;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** The one place that formats times, so storage, JSON and pages agree. */
final class Times {
  private static final DateTimeFormatter DISPLAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private Times() {}

  /** Now, at second precision: {@code Instant.toString} drops zero fractions, so widths would vary. */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  static String display(String stored) {
    return DISPLAY.format(Instant.parse(stored));
  }
}
