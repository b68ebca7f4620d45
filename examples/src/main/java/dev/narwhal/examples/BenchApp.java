package dev.narwhal.examples;

import dev.narwhal.AsyncApplication;
import dev.narwhal.Request;
import dev.narwhal.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The application {@code bench/run} drives under every worker class: the same three endpoints as
 * the bare Pekko HTTP baseline ({@code bench/bare-pekko}) and the WSGI app Gunicorn runs
 * ({@code bench/wsgi_app.py}).
 *
 * <ul>
 *   <li>{@code /hello} (and {@code /}): 200 {@code Hello, World!} (13 bytes)
 *   <li>{@code /sleep10}: the same after a 10 ms wait. {@link #handle} blocks its thread
 *       ({@code Thread.sleep}, as sync, gthread and virtual workers run it); {@link #handleAsync}
 *       holds no thread while waiting (the {@code async} worker class)
 *   <li>{@code /cpu1}: the same after 1 ms of busy CPU
 *   <li>{@code /slow?ms=N}: the same after N ms (default 5000), the heavy route {@code bench/pools}
 *       sends to a pool of its own; blocking or not as {@code /sleep10}
 *   <li>anything else: 404
 * </ul>
 */
public final class BenchApp implements AsyncApplication {
  static final String HELLO = "Hello, World!";
  static final long SLEEP_MS = 10;
  static final long CPU_NANOS = 1_000_000;
  private static final Executor AFTER_SLEEP = CompletableFuture.delayedExecutor(SLEEP_MS, TimeUnit.MILLISECONDS);

  @Override
  public Response handle(Request request) throws Exception {
    return switch (request.path()) {
      case "/", "/hello" -> Response.ok(HELLO);
      case "/sleep10" -> {
        Thread.sleep(SLEEP_MS);
        yield Response.ok(HELLO);
      }
      case "/cpu1" -> cpu1();
      case "/slow" -> {
        Thread.sleep(slowMs(request));
        yield Response.ok(HELLO);
      }
      default -> notFound();
    };
  }

  @Override
  public CompletionStage<Response> handleAsync(Request request) {
    if (request.path().equals("/sleep10")) {
      return CompletableFuture.supplyAsync(() -> Response.ok(HELLO), AFTER_SLEEP);
    }
    if (request.path().equals("/slow")) {
      return CompletableFuture.supplyAsync(() -> Response.ok(HELLO),
          CompletableFuture.delayedExecutor(slowMs(request), TimeUnit.MILLISECONDS));
    }
    return CompletableFuture.completedFuture(switch (request.path()) {
      case "/", "/hello" -> Response.ok(HELLO);
      case "/cpu1" -> cpu1();
      default -> notFound();
    });
  }

  private static long slowMs(Request request) {
    try {
      return Math.max(0, Math.min(60_000, Long.parseLong(request.queryParam("ms").orElse("5000"))));
    } catch (NumberFormatException e) {
      return 5000;
    }
  }

  private static Response cpu1() {
    long end = System.nanoTime() + CPU_NANOS;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
    return Response.ok(HELLO);
  }

  private static Response notFound() {
    return Response.text(404, "not found\n");
  }
}
