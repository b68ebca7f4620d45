package dev.narwhal.examples;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import java.util.concurrent.locks.LockSupport;

/**
 * A misbehaving application for supervision and reliability tests.
 *
 * <ul>
 *   <li>{@code /sleep?ms=N} sleeps N ms (blocking), then answers 200
 *   <li>{@code /hang} never returns and ignores interrupts: a stuck worker
 *   <li>{@code /boom} throws: the request gets 500, the worker keeps serving
 *   <li>{@code /cpu?ms=N} burns N ms of CPU
 *   <li>{@code /status/CODE} answers with that status
 *   <li>anything else: 200 {@code ok}
 * </ul>
 */
public final class ChaosApp implements Application {

  @Override
  public Response handle(Request request) throws Exception {
    String path = request.path();
    if (path.equals("/sleep")) {
      long ms = Long.parseLong(request.queryParam("ms").orElse("100"));
      Thread.sleep(ms);
      return Response.ok("slept " + ms + " ms\n");
    }
    if (path.equals("/hang")) {
      hangForever();
    }
    if (path.equals("/boom")) {
      throw new IllegalStateException("boom: this handler always fails");
    }
    if (path.equals("/cpu")) {
      long ms = Long.parseLong(request.queryParam("ms").orElse("10"));
      return Response.ok("burned " + burn(ms) + "\n");
    }
    if (path.startsWith("/status/")) {
      int code = Integer.parseInt(path.substring("/status/".length()));
      return Response.text(code, "status " + code + "\n");
    }
    return Response.ok("ok\n");
  }

  /** Parks forever, swallowing interrupts, as a handler stuck in a native call or a lost lock would. */
  private static void hangForever() {
    while (true) {
      LockSupport.park();
      Thread.interrupted();
    }
  }

  private static long burn(long ms) {
    long end = System.nanoTime() + ms * 1_000_000;
    long x = 0;
    while (System.nanoTime() < end) {
      x += Long.numberOfTrailingZeros(x + 1);
    }
    return x;
  }
}
