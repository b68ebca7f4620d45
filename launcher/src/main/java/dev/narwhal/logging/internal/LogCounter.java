package dev.narwhal.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.narwhal.LogCounts;
import java.util.Set;

/**
 * INTERNAL API. Counts the warnings and errors that reach the root logger into {@link LogCounts},
 * for statsd's {@code gunicorn.log.*}: WARN is warning, ERROR with a throwable exception, ERROR
 * with the {@code CRITICAL} marker critical, any other ERROR error. An appender in the launcher's
 * Logback setup rather than calls at every log site: it sees every logger, Narwhal's, Pekko's and
 * the application's, as Gunicorn's logger sees every message. The application's captured
 * stdout/stderr is not log output and is not counted. Synchronous but only bumps an adder.
 */
final class LogCounter extends AppenderBase<ILoggingEvent> {
  private final Set<String> ignored;

  LogCounter(Set<String> ignoredLoggers) {
    this.ignored = Set.copyOf(ignoredLoggers);
    setName("narwhal-log-counter");
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (ignored.contains(event.getLoggerName())) {
      return;
    }
    if (event.getLevel() == Level.WARN) {
      LogCounts.count(LogCounts.Kind.WARNING);
    } else if (event.getLevel() == Level.ERROR) {
      LogCounts.count(kind(event));
    }
  }

  private static LogCounts.Kind kind(ILoggingEvent event) {
    boolean critical = event.getMarkerList() != null
        && event.getMarkerList().stream().anyMatch(m -> m.contains(LogCounts.CRITICAL_MARKER));
    if (critical) {
      return LogCounts.Kind.CRITICAL;
    }
    return event.getThrowableProxy() != null ? LogCounts.Kind.EXCEPTION : LogCounts.Kind.ERROR;
  }
}
