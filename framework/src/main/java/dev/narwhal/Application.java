package dev.narwhal;

/**
 * A Narwhal application: a {@link Handler} with a lifecycle.
 *
 * <p>Each worker builds its own instance (public no-arg constructor) and calls {@link #onStart()}
 * on the worker's thread before taking requests, and {@link #onStop()} when the worker stops, so an
 * application can open and close its own resources (a connection pool, a cache) per worker.
 *
 * <pre>{@code
 * public final class HelloApp implements Application {
 *   public Response handle(Request request) {
 *     return Response.ok("Hello, World!");
 *   }
 * }
 * }</pre>
 *
 * Run it with {@code bin/narwhal -w 4 com.example.HelloApp}.
 */
public interface Application extends Handler {

  /** Called once per worker, on the worker's thread, before its first request. */
  default void onStart() throws Exception {}

  /** Called once per worker when it stops, after its last request. */
  default void onStop() throws Exception {}

  /**
   * A message broadcast to every worker ({@code Server.broadcast}, or a worker extension's
   * {@code WorkerContext.broadcast}), such as "drop your cache". Each worker's instance gets it
   * once, on one of the worker's request threads between two requests (with a shared
   * {@code preload-app} instance: once per worker). With a worker class other than {@code sync}
   * other requests of the worker may run meanwhile: make what it touches thread-safe, as for
   * {@link #handle}. Ignored by default.
   */
  default void onMessage(Object message) throws Exception {}

  /** An application without lifecycle around a plain handler. */
  static Application of(Handler handler) {
    return handler::handle;
  }
}
