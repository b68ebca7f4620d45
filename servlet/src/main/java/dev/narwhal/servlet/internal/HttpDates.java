package dev.narwhal.servlet.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;

/**
 * INTERNAL API. HTTP dates (RFC 9110 section 5.6.7): written as IMF-fixdate, whose day has two
 * digits ({@code Sun, 06 Nov 1994 08:49:37 GMT}; Java's RFC_1123_DATE_TIME writes {@code 6}); read
 * in all three forms a recipient must accept, so a client's {@code If-Modified-Since} in the
 * obsolete RFC 850 or asctime form still gets its 304.
 */
final class HttpDates {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
  /** Two-digit years: one more than 50 years ahead is the last such year in the past (RFC 9110). */
  private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder()
      .appendPattern("EEEE, dd-MMM-")
      .appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(49))
      .appendPattern(" HH:mm:ss 'GMT'")
      .toFormatter(Locale.US).withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);
  private static final List<DateTimeFormatter> READ =
      List.of(IMF_FIXDATE, DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME);

  private HttpDates() {}

  static String format(long epochMillis) {
    return IMF_FIXDATE.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Milliseconds since the epoch; IllegalArgumentException if {@code value} is no HTTP date. */
  static long parse(String value) {
    String text = value.strip();
    for (DateTimeFormatter form : READ) {
      try {
        return ZonedDateTime.parse(text, form).toInstant().toEpochMilli();
      } catch (DateTimeParseException notThisForm) {
        // the next form
      }
    }
    throw new IllegalArgumentException("not an HTTP date: '" + value + "'");
  }
}
