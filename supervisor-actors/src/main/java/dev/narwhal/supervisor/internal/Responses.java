package dev.narwhal.supervisor.internal;

import dev.narwhal.Response;

/**
 * INTERNAL API. The answers Narwhal itself gives, so every 5xx looks the same wherever it is made.
 */
public final class Responses {
  private Responses() {}

  public static Response internalError() {
    return Response.text(500, "Internal Server Error\n");
  }

  /** The request overran the worker timeout. */
  public static Response timedOut() {
    return Response.text(504, "Gateway Timeout: the request took longer than the worker timeout\n");
  }

  /** 503 with {@code Retry-After}: the server is saturated or stopping; the client may retry. */
  public static Response unavailable() {
    return Response.status(503).header("Retry-After", "1").text("Service Unavailable\n");
  }
}
