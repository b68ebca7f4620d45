package dev.narwhal.testing;

import dev.narwhal.Application;
import dev.narwhal.Response;
import java.util.concurrent.CountDownLatch;

/** An application whose {@code /hang} swallows every interrupt until the test lets it go. */
public final class StuckApp {
  private StuckApp() {}

  /** {@code /hang} is a handler stuck in code that ignores interrupts; anything else answers "ok". */
  public static Application stuckUntil(CountDownLatch release) {
    return request -> {
      if (request.path().equals("/hang")) {
        while (true) {
          try {
            release.await();
            return Response.ok("released");
          } catch (InterruptedException ignored) {
            // ignored on purpose: this is the handler the timeout cannot stop
          }
        }
      }
      return Response.ok("ok");
    };
  }
}
