package dev.narwhal.logging.internal;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import dev.narwhal.logging.Loggers;

/**
 * INTERNAL API. The two line shapes Narwhal writes: access lines exactly as formatted (gunicorn's
 * access log has no prefix), everything else in gunicorn's error-log shape
 * {@code [time] [pid] [LEVEL] message}, with {@code [proc-name]} before the pid when one is set.
 * One layout for both, so that accesslog and errorlog may name the same file.
 */
final class LogLayout extends LayoutBase<ILoggingEvent> {
  static final String PROC_NAME = "narwhal.proc-name";
  static final String PID = "narwhal.pid";
  private final PatternLayout errorLine = new PatternLayout();

  LogLayout(boolean named) {
    String name = named ? "[%property{" + PROC_NAME + "}] " : "";
    errorLine.setPattern("[%d{yyyy-MM-dd HH:mm:ss Z}] " + name + "[%property{" + PID + "}] [%level] %msg%n");
  }

  @Override
  public void start() {
    errorLine.setContext(getContext());
    errorLine.start();
    super.start();
  }

  @Override
  public String doLayout(ILoggingEvent event) {
    return event.getLoggerName().equals(Loggers.ACCESS)
        ? event.getFormattedMessage() + CoreConstants.LINE_SEPARATOR
        : errorLine.doLayout(LibraryText.escaped(event));
  }
}
