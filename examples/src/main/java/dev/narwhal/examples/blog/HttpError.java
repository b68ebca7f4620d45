package dev.narwhal.examples.blog;

import java.util.Map;

/**
 * A request the blog refuses, with the status and a message meant for the client. Thrown anywhere
 * below {@link BlogApp#handle}, which renders it as HTML or JSON to match the request. A 422
 * carries one message per bad field as well; a 405 or 503 the header that goes with it.
 */
final class HttpError extends RuntimeException {
  private final int status;
  private final Map<String, String> fields;
  private final Map<String, String> headers;

  HttpError(int status, String message) {
    this(status, message, Map.of(), Map.of());
  }

  HttpError(int status, String message, Map<String, String> fields, Map<String, String> headers) {
    super(message, null, false, false); // expected control flow: no stack trace to fill
    this.status = status;
    this.fields = Map.copyOf(fields);
    this.headers = Map.copyOf(headers);
  }

  static HttpError notFound(String message) {
    return new HttpError(404, message);
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, message);
  }

  int status() {
    return status;
  }

  /** Field → problem, in no particular order; empty unless the status is 422. */
  Map<String, String> fields() {
    return fields;
  }

  Map<String, String> headers() {
    return headers;
  }
}
