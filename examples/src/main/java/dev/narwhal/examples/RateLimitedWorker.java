package dev.narwhal.examples;

import dev.narwhal.Handler;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.spi.WorkerExtension;

/**
 * A worker extension that rate-limits each worker with a token bucket: an interceptor with
 * per-worker state. The bucket lives in this instance, one per worker, so it is dropped (refilled)
 * when the worker is recycled.
 *
 * <pre>
 * RATE_LIMIT_PER_SECOND=5 bin/narwhal -k dev.narwhal.examples.RateLimitedWorker -w 2 hello
 * </pre>
 */
public final class RateLimitedWorker implements WorkerExtension {
  private final double perSecond = Double.parseDouble(System.getenv().getOrDefault("RATE_LIMIT_PER_SECOND",
      System.getProperty("rate.limit.per.second", "5")));
  private double tokens = perSecond;
  private long lastRefill = System.nanoTime();

  @Override
  public Response intercept(Request request, Handler next) throws Exception {
    if (!takeToken()) {
      return Response.status(429).header("Retry-After", "1").text("Too Many Requests: this worker's limit is "
          + perSecond + " per second\n");
    }
    return next.handle(request);
  }

  /** Synchronized because gthread and virtual workers call interceptors from several threads. */
  private synchronized boolean takeToken() {
    long now = System.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - lastRefill) / 1e9 * perSecond);
    lastRefill = now;
    if (tokens < 1) {
      return false;
    }
    tokens -= 1;
    return true;
  }
}
