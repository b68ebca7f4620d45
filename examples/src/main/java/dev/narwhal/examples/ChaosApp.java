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
 *   <li>{@code /alloc?mb=N} allocates N MiB, touches every page, and drops it: heap pressure
 *   <li>{@code /status/CODE} answers with that status
 *   <li>{@code /bytes?n=N} answers N bytes (for large responses and clients that leave mid-way)
 *   <li>{@code /upload} consumes the request body and answers how many bytes it got
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
    if (path.equals("/alloc")) {
      int mb = Integer.parseInt(request.queryParam("mb").orElse("1"));
      return Response.ok("allocated " + alloc(mb) + " MiB\n");
    }
    if (path.equals("/bytes")) {
      int n = Integer.parseInt(request.queryParam("n").orElse("1024"));
      return Response.status(200).contentType("application/octet-stream").body(bytes(n));
    }
    if (path.equals("/upload")) {
      return Response.ok("received " + request.bodyLength() + " bytes\n");
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

  /**
   * Allocates {@code mb} separate MiB blocks and writes into each, so the JIT cannot elide them and
   * the collector has real garbage to find; returns how many were allocated.
   */
  private static int alloc(int mb) {
    byte[][] blocks = new byte[mb][];
    for (int i = 0; i < mb; i++) {
      blocks[i] = new byte[1 << 20];
      for (int j = 0; j < blocks[i].length; j += 4096) {
        blocks[i][j] = (byte) j;
      }
    }
    return blocks.length;
  }

  /** A repeating, printable pattern, so a client can check where a cut-off response stopped. */
  private static byte[] bytes(int n) {
    byte[] body = new byte[n];
    for (int i = 0; i < n; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    return body;
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
