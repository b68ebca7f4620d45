package dev.narwhal.examples;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * An application that leaks on purpose, the way a per-worker cache without a bound does: every
 * request keeps {@code kb} KiB (query parameter, default 1) in a list of this instance, so each
 * worker (one instance per worker unless {@code preload-app}) grows until it is recycled. Query
 * parameters shape the load: {@code churn} KiB (default 0) of garbage per request, as real handlers
 * make far more garbage than they keep (and a collection comes with every young generation's worth
 * of it, which is what heap recycling counts); {@code ms} (default 0) makes each request take that
 * long, so the leak rate is at most workers × kb / ms whatever the machine's speed. What
 * {@code bench/heap} runs with and without {@code heap-recycle-threshold}.
 *
 * <pre>
 * JAVA_OPTS=-Xmx128m bin/narwhal -w 4 --heap-recycle-threshold 0.7 leaky
 * curl 'http://127.0.0.1:8000/?kb=4&churn=64&ms=2'   # kept 4 KiB, 4 KiB in this worker
 * </pre>
 */
public final class LeakyApp implements Application {
  private static final int MAX_KB = 1024;
  private static final int MAX_MS = 1000;

  /** What this worker has kept: never read, only grown. Guarded by itself (gthread workers). */
  private final List<byte[]> kept = new ArrayList<>();
  private long keptBytes;

  @Override
  public Response handle(Request request) throws InterruptedException {
    int kb = parameter(request.query(), "kb", 1, MAX_KB);
    Thread.sleep(parameter(request.query(), "ms", 0, MAX_MS));
    churn(parameter(request.query(), "churn", 0, MAX_KB));
    byte[] chunk = new byte[kb * 1024];
    long total;
    synchronized (kept) {
      kept.add(chunk);
      keptBytes += chunk.length;
      total = keptBytes;
    }
    return Response.ok("kept " + kb + " KiB, " + total / 1024 + " KiB in this worker\n");
  }

  /** Allocates {@code kb} KiB in 4 KiB arrays that die at once; the sum keeps the JIT from removing them. */
  private static int churn(int kb) {
    int sum = 0;
    for (int i = 0; i < kb / 4; i++) {
      byte[] garbage = new byte[4096];
      garbage[i % garbage.length] = (byte) i;
      sum += garbage[0];
    }
    return sum;
  }

  /** {@code name=N} from the query string, clamped to [0, max]; {@code absent} when missing or not a number. */
  static int parameter(String query, String name, int absent, int max) {
    for (String pair : query == null ? new String[0] : query.split("&")) {
      if (pair.startsWith(name + "=")) {
        try {
          return Math.clamp(Integer.parseInt(pair.substring(name.length() + 1)), 0, max);
        } catch (NumberFormatException notANumber) {
          return absent;
        }
      }
    }
    return absent;
  }
}
