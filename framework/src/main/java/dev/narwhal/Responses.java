package dev.narwhal;

/**
 * The answers Narwhal itself gives, so every 5xx looks the same wherever it is made: the worker
 * that caught a handler's exception, the timeout sweep, the backlog that is full, the front end
 * that refuses a request. An application that sheds load itself can answer
 * {@link #unavailable()} too, and clients see one kind of refusal.
 */
public final class Responses {
  private Responses() {}

  /** 500: the handler threw, or answered nothing. */
  public static Response internalError() {
    return Response.text(500, "Internal Server Error\n");
  }

  /** 504: the request overran the worker timeout. */
  public static Response timedOut() {
    return Response.text(504, "Gateway Timeout: the request took longer than the worker timeout\n");
  }

  /** 503 with {@code Retry-After}: the server is saturated or stopping; the client may retry. */
  public static Response unavailable() {
    return Response.status(503).header("Retry-After", "1").text("Service Unavailable\n");
  }
}
