package dev.narwhal.server.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * INTERNAL API. The threads an actor system that will not terminate is still busy with: the ones
 * named after it (its dispatchers, and the workers' threads, which carry the same prefix) that are
 * doing something rather than waiting for work, each with the top of its stack.
 */
final class LingeringThreads {
  private static final int FRAMES = 12;

  private LingeringThreads() {
  }

  static String of(String systemName) {
    String report = Thread.getAllStackTraces().entrySet().stream()
        .filter(e -> e.getKey().getName().startsWith(systemName) && !idle(e.getValue()))
        .map(LingeringThreads::describe)
        .collect(Collectors.joining());
    return report.isEmpty() ? " none busy (it may be waiting on a scheduled task)" : report;
  }

  /** A pool thread waiting for its next task is not what keeps a system alive. */
  private static boolean idle(StackTraceElement[] stack) {
    return Arrays.stream(stack).anyMatch(f -> f.getMethodName().equals("awaitWork")
        || f.getMethodName().equals("getTask") || f.getMethodName().equals("waitNanos"));
  }

  private static String describe(Map.Entry<Thread, StackTraceElement[]> e) {
    StringBuilder out = new StringBuilder("\n\"").append(e.getKey().getName()).append("\" ")
        .append(e.getKey().getState());
    Arrays.stream(e.getValue()).limit(FRAMES).forEach(f -> out.append("\n\tat ").append(f));
    return out.toString();
  }
}
