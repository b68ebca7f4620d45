package dev.narwhal.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * INTERNAL API. A dump of every platform thread with its whole stack, in jstack's shape, for
 * {@code GET /threads}: what a stuck worker is doing, without a shell on the machine. Worker
 * threads are named {@code narwhal-worker-SLOT-phase-PHASE} and listed first.
 *
 * <p>{@link ThreadInfo#toString()} is not used: it cuts every stack at 8 frames.
 */
public final class ThreadDump {
  private ThreadDump() {}

  /** Every live thread, workers first, then by name. */
  static List<ThreadInfo> threads() {
    ThreadInfo[] all = ManagementFactory.getThreadMXBean().dumpAllThreads(true, true);
    return Arrays.stream(all)
        .sorted(Comparator.comparing((ThreadInfo t) -> !t.getThreadName().startsWith("narwhal-worker-"))
            .thenComparing(ThreadInfo::getThreadName))
        .toList();
  }

  /** The dump as text, jstack style. */
  public static String text() {
    List<ThreadInfo> threads = threads();
    StringBuilder out = new StringBuilder();
    out.append("Thread dump of pid ").append(ProcessHandle.current().pid()).append(" at ").append(Instant.now())
        .append(": ").append(threads.size()).append(" threads\n");
    for (ThreadInfo t : threads) {
      out.append('\n').append('"').append(t.getThreadName()).append('"').append(" #").append(t.getThreadId())
          .append(t.isDaemon() ? " daemon" : "").append(" prio=").append(t.getPriority()).append('\n');
      out.append("   java.lang.Thread.State: ").append(t.getThreadState());
      if (t.getLockName() != null) {
        out.append(" on ").append(t.getLockName());
        if (t.getLockOwnerName() != null) {
          out.append(" owned by \"").append(t.getLockOwnerName()).append("\" #").append(t.getLockOwnerId());
        }
      }
      out.append('\n');
      StackTraceElement[] stack = t.getStackTrace();
      for (int i = 0; i < stack.length; i++) {
        out.append("\tat ").append(stack[i]).append('\n');
        for (MonitorInfo m : t.getLockedMonitors()) {
          if (m.getLockedStackDepth() == i) {
            out.append("\t- locked ").append(m).append('\n');
          }
        }
      }
      LockInfo[] synchronizers = t.getLockedSynchronizers();
      if (synchronizers.length > 0) {
        out.append("\n   Locked ownable synchronizers:\n");
        for (LockInfo l : synchronizers) {
          out.append("\t- ").append(l).append('\n');
        }
      }
    }
    return out.toString();
  }

  /** The dump as JSON: one object per thread. */
  public static ArrayNode json() {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ThreadInfo t : threads()) {
      ObjectNode thread = out.addObject();
      thread.put("name", t.getThreadName());
      thread.put("id", t.getThreadId());
      thread.put("state", t.getThreadState().name());
      thread.put("daemon", t.isDaemon());
      if (t.getLockName() != null) {
        thread.put("waiting_on", t.getLockName());
      }
      if (t.getLockOwnerName() != null) {
        thread.put("lock_owner", t.getLockOwnerName());
      }
      ArrayNode stack = thread.putArray("stack");
      for (StackTraceElement frame : t.getStackTrace()) {
        stack.add(frame.toString());
      }
    }
    return out;
  }
}
