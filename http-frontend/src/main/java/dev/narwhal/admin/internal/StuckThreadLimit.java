package dev.narwhal.admin.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Whether the threads stuck in timed-out requests still allow the server to call
 * itself live ({@code max-stuck-threads}), and the one ERROR line that says why when they no longer
 * do.
 *
 * <p>A handler that ignores interrupts keeps its thread after its request was answered 504, and the
 * JVM cannot kill a thread: each one keeps its stack and whatever the handler held (a lock, a pooled
 * connection). Gunicorn kills the stuck worker process; Narwhal's equivalent is to fail liveness
 * and let the process supervisor (systemd, a Kubernetes liveness probe) restart the server. Threads
 * that finally return no longer count, so the verdict can go back to live.
 */
final class StuckThreadLimit {
  private static final Logger log = LoggerFactory.getLogger("narwhal");

  /** What one check found, compared with the check before it. */
  enum Verdict {
    /** Within the limit, and was. */
    LIVE,
    /** Over the limit for the first time since it was last within it: logged. */
    CROSSED,
    /** Over the limit, and already was (already logged). */
    OVER,
    /** Back within the limit after being over it. */
    RECOVERED;

    boolean live() {
      return this == LIVE || this == RECOVERED;
    }
  }

  /** Whether the last check found the server over its limit. */
  private boolean over;

  /** Over means more stuck threads than {@code limit}; a limit of 0 never is. */
  static boolean exceeded(int stuck, int limit) {
    return limit > 0 && stuck > limit;
  }

  /** Judges {@code stuck} threads against {@code limit} (the current max-stuck-threads); logs on a change. */
  Verdict check(int stuck, int limit) {
    boolean now = exceeded(stuck, limit);
    Verdict verdict;
    synchronized (this) {
      verdict = now ? (over ? Verdict.OVER : Verdict.CROSSED) : (over ? Verdict.RECOVERED : Verdict.LIVE);
      over = now;
    }
    if (verdict == Verdict.CROSSED) {
      log.error("{}; /health/live answers 503 so that the process supervisor restarts the server",
          reason(stuck, limit));
    } else if (verdict == Verdict.RECOVERED) {
      log.warn("Stuck threads are back within max-stuck-threads ({} of {}); /health/live answers 200 again",
          stuck, limit);
    }
    return verdict;
  }

  /** Why the server is not live; the log line and the probe's answer share it. */
  static String reason(int stuck, int limit) {
    return stuck + " threads are stuck in timed-out requests that ignored their interrupt, over max-stuck-threads ("
        + limit + ")";
  }
}
