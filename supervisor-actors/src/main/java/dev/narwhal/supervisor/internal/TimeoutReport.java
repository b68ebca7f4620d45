package dev.narwhal.supervisor.internal;

import dev.narwhal.Request;
import dev.narwhal.logging.LogText;

/**
 * INTERNAL API. The WORKER TIMEOUT error-log entry: one greppable line (gunicorn's wording) naming
 * the worker, the request and its age, then the stuck thread's stack, which is what gunicorn
 * never shows.
 */
public final class TimeoutReport {
  private TimeoutReport() {}

  public static String format(int index, Request request, long ageMs, Thread thread, StackTraceElement[] stack) {
    StringBuilder out = new StringBuilder()
        .append("WORKER TIMEOUT (worker ").append(index).append(", ")
        // escaped: a path with a CR LF in it would forge error-log lines of its own
        .append(LogText.escape(request.method() + " " + request.path()))
        .append(", running ").append(String.format("%.2f", ageMs / 1000.0)).append(" s)")
        .append("; answered 504, thread interrupted, worker replaced. Stuck thread \"")
        .append(thread == null ? "?" : thread.getName()).append("\":");
    for (StackTraceElement frame : stack) {
      out.append("\n\tat ").append(frame);
    }
    return out.toString();
  }
}
