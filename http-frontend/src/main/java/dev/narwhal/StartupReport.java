package dev.narwhal;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;

/**
 * With {@code -Dnarwhal.startup.report=true}, one line on standard error per start-up phase as the
 * server reaches it: {@code narwhal-startup: PHASE MS ms CLASSES classes at EPOCH_MS}: the
 * milliseconds since the JVM started, the classes loaded so far, and the wall clock (so a script
 * can measure from its own launch, which includes the JVM's start). {@code bench/startup} reads these lines.
 *
 * <p>Package-private on purpose: the launcher's {@code Main} shares this package, and nothing else
 * should depend on it. Off (the default), {@link #mark} reads one field and returns, so the
 * start path pays nothing; on, the first mark loads {@code java.lang.management} (about a hundred
 * classes, counted in the first phase).
 */
final class StartupReport {
  static final String PROPERTY = "narwhal.startup.report";
  /** Where the lines go: standard error with the property set, else nowhere (null). */
  private static volatile PrintStream sink = Boolean.getBoolean(PROPERTY) ? System.err : null;

  private StartupReport() {}

  static boolean on() {
    return sink != null;
  }

  /** Reports that the start has reached {@code phase}; nothing when the report is off. */
  static void mark(String phase) {
    PrintStream to = sink;
    if (to != null) {
      print(to, phase);
    }
  }

  /** Sends the report to {@code to} (null: off) and returns where it went before; for tests. */
  static PrintStream reportTo(PrintStream to) {
    PrintStream before = sink;
    sink = to;
    return before;
  }

  private static void print(PrintStream to, String phase) {
    long now = System.currentTimeMillis();
    // the JVM's own start time (ms resolution); the process's start time in /proc counts from a
    // boot time with whole-second resolution, too coarse for this
    long since = now - ManagementFactory.getRuntimeMXBean().getStartTime();
    long classes = ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    to.println("narwhal-startup: " + phase + " " + since + " ms " + classes + " classes at " + now);
  }
}
