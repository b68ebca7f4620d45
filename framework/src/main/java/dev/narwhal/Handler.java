package dev.narwhal;

/**
 * Turns a request into a response, blocking as long as it needs (Narwhal's WSGI callable).
 *
 * <p>A handler runs on its worker's own thread, never on a Pekko dispatcher, so plain blocking
 * code (JDBC, sleeps, file I/O) is fine. An exception becomes a {@code 500} for that request
 * only; the worker keeps serving.
 */
@FunctionalInterface
public interface Handler {
  Response handle(Request request) throws Exception;
}
