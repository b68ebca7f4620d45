package dev.narwhal.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import dev.narwhal.LogCounts;
import dev.narwhal.LogCounts.Kind;
import dev.narwhal.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.MarkerFactory;

/** The launcher's Logback setup counts warnings and errors for statsd's gunicorn.log.* counters. */
class LogCounterTest {
  final LoggerContext context = new LoggerContext();

  {
    context.setMDCAdapter(new LogbackMDCAdapter());
  }

  @AfterEach
  void stop() {
    context.stop();
  }

  static Map<Kind, Long> totals() {
    Map<Kind, Long> totals = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      totals.put(kind, LogCounts.total(kind));
    }
    return totals;
  }

  @Test
  void warnings_errors_exceptions_and_criticals_are_counted_and_captured_output_is_not() {
    LogSetup.configure(context, ServerConfig.defaults(), new ByteArrayOutputStream(), new ByteArrayOutputStream());
    Map<Kind, Long> before = totals();
    Logger log = context.getLogger("narwhal");
    log.info("not counted");
    log.warn("a warning");
    log.error("an error");
    log.error("an exception", new IllegalStateException("boom"));
    log.error(MarkerFactory.getMarker(LogCounts.CRITICAL_MARKER), "a critical");
    context.getLogger(LogSetup.STDERR_LOGGER).error("the application's stderr");
    Map<Kind, Long> after = totals();
    for (Kind kind : Kind.values()) {
      assertThat(after.get(kind) - before.get(kind)).as(kind.metric()).isEqualTo(1);
    }
  }
}
