package dev.narwhal.http.internal;

import java.util.Optional;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * INTERNAL API. Rules of RFC 9113 that Pekko HTTP's HTTP/2 parser lets through, checked on the
 * parsed request before it reaches a worker. A request that breaks one is malformed (section
 * 8.1.1); the server may answer it before it resets the stream, and the other streams of the
 * connection go on.
 *
 * <p>Pekko already refuses, with a GOAWAY that ends the whole connection: {@code connection},
 * {@code transfer-encoding}, {@code te} other than {@code trailers}, an unparsable
 * {@code content-type}, a second {@code content-length}. Not caught anywhere, because the parsed
 * request no longer shows it: a {@code content-length} that differs from the DATA frames (Pekko
 * drops the field and the body is what the frames carried), and upper-case field names of the
 * fields Pekko models ({@code Accept} reads as {@code accept}).
 */
final class Http2Rules {
  /**
   * RFC 9113 section 8.2.2: connection-specific fields MUST NOT appear in HTTP/2. Pekko refuses
   * {@code connection} and {@code transfer-encoding} itself; these it passes to the application,
   * which may act on an {@code upgrade} it was never meant to see.
   */
  private static final Set<String> CONNECTION_SPECIFIC = Set.of("keep-alive", "proxy-connection", "upgrade");

  private Http2Rules() {}

  /** The first rule an HTTP/2 request breaks, if any; {@code limitRequestLine} 0 is no limit. */
  static Optional<FramingGuard.Rejection> check(HttpRequest http, int limitRequestLine) {
    if (!http.protocol().value().equals("HTTP/2.0")) {
      return Optional.empty();
    }
    for (HttpHeader h : http.getHeaders()) {
      if (CONNECTION_SPECIFIC.contains(h.lowercaseName())) {
        return Optional.of(new FramingGuard.Rejection(400,
            "Connection-specific header field " + h.lowercaseName() + " is not allowed in HTTP/2"));
      }
    }
    // limit-request-line, which Pekko's parser applies to HTTP/1 targets only: the :path as sent
    if (limitRequestLine > 0 && http.getUri().toRelative().toString().length() > limitRequestLine) {
      return Optional.of(new FramingGuard.Rejection(414,
          "URI length exceeds the configured limit of " + limitRequestLine + " characters"));
    }
    return Optional.empty();
  }
}
