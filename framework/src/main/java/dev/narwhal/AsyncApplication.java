package dev.narwhal;

/**
 * An {@link Application} whose handler is non-blocking. Run it with {@code -k async} to hold no
 * thread per request; under the other worker classes its blocking {@link #handle} waits for the
 * stage, so it runs anywhere.
 *
 * <pre>{@code
 * public final class Delayed implements AsyncApplication {
 *   public CompletionStage<Response> handleAsync(Request request) {
 *     return CompletableFuture.supplyAsync(() -> Response.ok("later"),
 *         CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
 *   }
 * }
 * }</pre>
 */
public interface AsyncApplication extends Application, AsyncHandler {
  @Override
  default Response handle(Request request) throws Exception {
    return handleAsync(request).toCompletableFuture().get();
  }
}
