package dev.narwhal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Log events at warning level and above, counted JVM-wide, for statsd's {@code gunicorn.log.*}
 * counters ({@code statsd-host}). The narwhal command's logging backend counts every event that
 * reaches the root logger; an application embedding {@link Server} under its own logging can call
 * {@link #count} from its own appender. JVM-wide like the logging backend itself, so servers in one
 * JVM share the counts.
 */
public final class LogCounts {
  /** Gunicorn's kinds: critical (ERROR with the CRITICAL marker), error, warning, exception (ERROR with a throwable). */
  public enum Kind {
    CRITICAL, ERROR, WARNING, EXCEPTION;

    /** Gunicorn's metric name, without the prefix: {@code gunicorn.log.error}. */
    public String metric() {
      return "gunicorn.log." + name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The SLF4J marker name that makes an ERROR event a critical one, as Gunicorn's log.critical. */
  public static final String CRITICAL_MARKER = "CRITICAL";

  private static final LongAdder[] COUNTS = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()};

  private LogCounts() {}

  /** One event of this kind was logged. Lock-free: called on the logging thread. */
  public static void count(Kind kind) {
    COUNTS[kind.ordinal()].increment();
  }

  /** Events of this kind since the JVM started. */
  public static long total(Kind kind) {
    return COUNTS[kind.ordinal()].sum();
  }
}
