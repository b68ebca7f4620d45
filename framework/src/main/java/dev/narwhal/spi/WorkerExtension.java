package dev.narwhal.spi;

import dev.narwhal.Handler;
import dev.narwhal.Request;
import dev.narwhal.Response;

/**
 * Extends the behaviour of every worker: the way to add to Narwhal's worker actors without
 * subclassing them (their protocols stay sealed). Run with {@code -k com.example.MyWorker}, where
 * {@code MyWorker} implements this interface with a public no-argument constructor.
 *
 * <p>Each worker gets its own instance, so instance fields are per-worker state: they survive
 * between the worker's requests and are dropped when the worker is recycled or reloaded (a
 * per-worker cache, a rate limiter's bucket, a connection).
 *
 * <pre>{@code
 * public final class CountingWorker implements WorkerExtension {
 *   private long seen; // per worker; only this worker's threads touch it (sync: one at a time)
 *
 *   public Response intercept(Request request, Handler next) throws Exception {
 *     seen++;
 *     Response response = next.handle(request);
 *     return Response.status(response.statusCode())
 *         .header("X-Worker-Seen", Long.toString(seen))
 *         .body(response.body());
 *   }
 * }
 * }</pre>
 *
 * With a worker class other than {@code sync}, {@link #intercept} runs on several threads of the
 * same worker at once: make per-worker state thread-safe there.
 *
 * @see WorkerContext
 */
public interface WorkerExtension {

  /** The built-in worker class this one extends: {@code sync} (default), {@code gthread} or {@code virtual}. */
  default String baseWorkerClass() {
    return "sync";
  }

  /**
   * Called on the worker's actor when the worker starts, before its application boots: spawn child
   * actors here with {@link WorkerContext#spawn}, or reach the server-wide ones beside the arbiter
   * with {@link WorkerContext#spawnShared}. Throwing fails the worker's boot.
   */
  default void onWorkerStart(WorkerContext worker) throws Exception {}

  /**
   * Wraps every request of this worker, on the worker's thread: authenticate, rate-limit, cache,
   * or decorate the response. Call {@code next.handle(request)} to run the application.
   */
  default Response intercept(Request request, Handler next) throws Exception {
    return next.handle(request);
  }

  /**
   * A message broadcast to every worker ({@link WorkerContext#broadcast},
   * {@code Server.broadcast}); called once per worker, on one of its request threads between two
   * requests, before the application's {@link dev.narwhal.Application#onMessage}.
   */
  default void onMessage(Object message) throws Exception {}

  /** Called on the worker's actor when the worker stops; its child actors stop right after. */
  default void onWorkerStop(WorkerContext worker) throws Exception {}
}
