package dev.narwhal.http.internal;

import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.Host;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.http2.PeerClosedStreamException;

/**
 * INTERNAL API. Request-framing rules of RFC 9112 that Pekko HTTP's parser lets through, checked on
 * the parsed request before it reaches a worker.
 *
 * <p>Pekko already rejects, before any of this runs: Content-Length together with
 * Transfer-Encoding, differing or non-numeric Content-Length values, transfer codings other than a
 * single {@code chunked}, Transfer-Encoding in HTTP/1.0 (with a 500), malformed field lines, more
 * than one Host, and HTTP/1.1 without a valid Host. What it lets through is a Host or
 * Transfer-Encoding field whose value it cannot parse: it keeps such a field as a plain header and
 * carries on as if it were absent, which for Transfer-Encoding means the body is read as the next
 * request on the connection (request smuggling). Every rejection closes the connection: bytes after
 * a message whose framing is in doubt must never be parsed as a request.
 *
 * <p>Not caught here, because the parsed request no longer shows it: Pekko reads an empty
 * Content-Length as 0, skips whitespace inside the digits ({@code 1 1} is 11), lets an overlong
 * one wrap around, and accepts empty field names, obs-fold and bare LF. {@link RequestFraming}
 * refuses those on the raw bytes, before the parser, on every HTTP/1 connection ({@link GuardedBind}'s
 * binds, and {@link Http2Binding}'s HTTP/1.1 connections).
 */
public final class FramingGuard {
  /** Why a request is refused: the status and a short reason for the client. */
  public record Rejection(int status, String reason) {
    /** The answer, with {@code Connection: close} so Pekko drops everything after this message. */
    public HttpResponse toHttpResponse() {
      return HttpResponse.create()
          .withStatus(ResponseConverter.status(status))
          .addHeader(Connection.create("close"))
          .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, reason));
    }
  }

  private FramingGuard() {}

  /** The first rule the request breaks, if any. */
  public static Optional<Rejection> check(HttpRequest http) {
    return asteriskFormWithoutOptions(http)
        .or(() -> invalidHost(http))
        .or(() -> unparsedTransferEncoding(http));
  }

  /**
   * RFC 9112 section 3.2.4: the asterisk-form target ({@code *}) exists only for a server-wide
   * OPTIONS. Pekko accepts it with any method, and the application would see a path of {@code *}.
   */
  private static Optional<Rejection> asteriskFormWithoutOptions(HttpRequest http) {
    boolean asterisk = RequestConverter.requestTarget(http).equals("*");
    return asterisk && !http.method().value().equals("OPTIONS")
        ? reject(400, "The asterisk-form request-target is only allowed with OPTIONS")
        : Optional.empty();
  }

  /**
   * RFC 9112 section 3.2: a request with a Host field whose value is invalid MUST get 400.
   *
   * <ul>
   *   <li>A value Pekko cannot parse stays in the header list as a raw header. Pekko notices only in
   *       HTTP/1.1, where it then finds Host missing; an HTTP/1.0 request would get through.
   *   <li>An empty value: the target URI is built from Host, and an http or https URI with an
   *       empty host is invalid (RFC 9110 section 4.2.1). Pekko rejects it itself, except that its
   *       {@code default-host-header} (set for HTTP/1.0) stands in for an empty Host too. (With an
   *       absolute-form target Pekko rejects any Host that differs from the target's, empty
   *       included.)
   * </ul>
   */
  private static Optional<Rejection> invalidHost(HttpRequest http) {
    for (HttpHeader h : http.getHeaders()) {
      boolean isHost = h.lowercaseName().equals("host");
      if (isHost && !(h instanceof Host host && !host.host().isEmpty())) {
        return reject(400, "Invalid Host header");
      }
    }
    return Optional.empty();
  }

  /**
   * RFC 9112 section 6.3 (item 4): unless chunked is the final transfer coding the body length
   * cannot be determined; the server MUST answer 400 and close. A Transfer-Encoding Pekko parsed
   * has moved onto the entity; one it could not parse (an empty or quoted value) is still in the
   * header list, and Pekko read no body, so the body would become the next request.
   */
  private static Optional<Rejection> unparsedTransferEncoding(HttpRequest http) {
    for (HttpHeader h : http.getHeaders()) {
      if (h.lowercaseName().equals("transfer-encoding")) {
        return reject(400, "Invalid Transfer-Encoding header");
      }
    }
    return Optional.empty();
  }

  /**
   * The answer when reading the body failed: a malformed chunk (RFC 9112 section 7.1; 400 and
   * close, as for any unparseable framing), a body over the configured limits (413), a client
   * that stopped sending (408), or an HTTP/2 client that reset its stream (499, which no one
   * reads). Left to Pekko, each would be a 500, blaming the server for the client's bytes.
   */
  public static Rejection unreadableBody(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
    if (cause instanceof EntityStreamSizeException) {
      return tooLarge();
    }
    if (cause instanceof EntityStreamException e && e.info().summary().equals("Request too large")) {
      // toStrict's own check of a declared Content-Length against max-to-strict-bytes
      return tooLarge();
    }
    if (cause instanceof TimeoutException) {
      return new Rejection(408, "Request body not received in time");
    }
    if (cause instanceof PeerClosedStreamException) {
      // an HTTP/2 client reset its stream (RST_STREAM): gone, as nginx logs it, not the server's fault
      return new Rejection(499, "Client Closed Request");
    }
    if (cause instanceof EntityStreamException) {
      return new Rejection(400, "Malformed request body framing");
    }
    return new Rejection(500, "Request body could not be read");
  }

  /** A body over limit-request-body. */
  static Rejection tooLarge() {
    return new Rejection(413, "Request body too large");
  }

  private static Optional<Rejection> reject(int status, String reason) {
    return Optional.of(new Rejection(status, reason));
  }
}
