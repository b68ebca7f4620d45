package dev.narwhal.server.internal;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** INTERNAL API. Waiting on futures during start-up and clean-up. */
public final class Futures {
  private Futures() {}

  /** Waits up to 30 s, ignoring failure: for clean-up after a failed start, which must not throw over the cause. */
  public static void awaitQuietly(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort while failing to start
    }
  }
}
