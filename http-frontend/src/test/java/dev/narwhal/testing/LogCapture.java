package dev.narwhal.testing;

import dev.narwhal.*;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what a logger writes, for tests that check the error log's content. */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  /** The logger's own level before the two-argument constructor changed it (null: inherited). */
  private Level levelBefore;
  private boolean levelChanged;

  public LogCapture(String loggerName) {
    logger = (Logger) LoggerFactory.getLogger(loggerName);
    appender.start();
    logger.addAppender(appender);
  }

  /**
   * Also lets {@code level} through until closed: tests log WARN and up, so an INFO line (the
   * ready lines) would never reach the appender.
   */
  public LogCapture(String loggerName, Level level) {
    this(loggerName);
    levelBefore = logger.getLevel();
    levelChanged = true;
    logger.setLevel(level);
  }

  /** Every captured line, message and stack trace included. */
  public String text() {
    List<ILoggingEvent> events = List.copyOf(appender.list);
    StringBuilder out = new StringBuilder();
    for (ILoggingEvent e : events) {
      out.append(e.getFormattedMessage()).append('\n');
      if (e.getThrowableProxy() != null) {
        out.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
      }
    }
    return out.toString();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    if (levelChanged) {
      logger.setLevel(levelBefore);
    }
  }
}
