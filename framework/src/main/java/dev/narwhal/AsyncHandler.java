package dev.narwhal;

import java.util.concurrent.CompletionStage;

/**
 * A non-blocking handler: returns at once with a stage that completes with the response. Under
 * the {@code async} worker class no thread is held while the stage is pending, so one worker can
 * keep {@code worker-connections} requests in flight.
 *
 * <p>The method must not block: it runs on a thread Narwhal shares between requests.
 */
@FunctionalInterface
public interface AsyncHandler {
  CompletionStage<Response> handleAsync(Request request) throws Exception;
}
