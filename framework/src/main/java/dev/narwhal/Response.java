package dev.narwhal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler answers: a status, field lines and a body, immutable once built.
 *
 * <pre>{@code
 * Response.text(200, "Hello, World!");
 * Response.status(201).header("Location", "/posts/7").json("{\"id\":7}");
 * }</pre>
 *
 * <p>{@code Content-Length} is computed by the server; a {@code Content-Type} header sets the
 * body's media type.
 */
public final class Response {
  private final int status;
  private final List<Header> headers;
  private final byte[] body;

  private Response(int status, List<Header> headers, byte[] body) {
    // a 1xx is interim (RFC 9110 section 15.2): a client given one as the answer waits for the real one
    if (status < 200 || status > 599) {
      throw new IllegalArgumentException("A response's status must be 200..599 (a 1xx is not a final response), got "
          + status);
    }
    this.status = status;
    this.headers = List.copyOf(headers);
    this.body = body;
  }

  /** Starts a response with the given status. */
  public static Builder status(int status) {
    return new Builder(status);
  }

  /** {@code 200 text/plain; charset=UTF-8}. */
  public static Response ok(String text) {
    return text(200, text);
  }

  public static Response text(int status, String text) {
    return status(status).text(text);
  }

  public static Response json(int status, String json) {
    return status(status).json(json);
  }

  public int statusCode() {
    return status;
  }

  public List<Header> headers() {
    return headers;
  }

  public Optional<String> header(String name) {
    int at = indexOf(headers, name);
    return at < 0 ? Optional.empty() : Optional.of(headers.get(at).value());
  }

  /**
   * Where the first field named {@code name} is, or -1. A loop, not a stream: the server asks once
   * per response, and {@code Response.ok} once per request of most applications.
   */
  private static int indexOf(List<Header> headers, String name) {
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i).is(name)) {
        return i;
      }
    }
    return -1;
  }

  /** The body bytes. A copy, so the response stays immutable. */
  public byte[] body() {
    return body.clone();
  }

  /** The body bytes without copying; the caller must not modify them. For the server's use. */
  public byte[] bodyUnsafe() {
    return body;
  }

  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "Response[" + status + ", " + body.length + " bytes]";
  }

  /** Accumulates a response; every terminal method ({@code build}, {@code text}, ...) builds it. */
  public static final class Builder {
    private static final Header TEXT_PLAIN = new Header("Content-Type", "text/plain; charset=UTF-8");
    private final int status;
    private final List<Header> headers = new ArrayList<>();

    private Builder(int status) {
      this.status = status;
    }

    public Builder header(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    public Builder contentType(String mediaType) {
      headers.removeIf(h -> h.is("Content-Type"));
      return header("Content-Type", mediaType);
    }

    public Response body(byte[] bytes) {
      return new Response(status, headers, Objects.requireNonNull(bytes).clone());
    }

    public Response text(String text) {
      if (indexOf(headers, "Content-Type") < 0) {
        headers.add(TEXT_PLAIN);
      }
      return new Response(status, headers, text.getBytes(StandardCharsets.UTF_8));
    }

    public Response json(String json) {
      contentType("application/json");
      return new Response(status, headers, json.getBytes(StandardCharsets.UTF_8));
    }

    public Response html(String html) {
      contentType("text/html; charset=UTF-8");
      return new Response(status, headers, html.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body. */
    public Response build() {
      return new Response(status, headers, new byte[0]);
    }
  }
}
