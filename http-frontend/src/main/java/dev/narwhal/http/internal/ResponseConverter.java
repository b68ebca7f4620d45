package dev.narwhal.http.internal;

import dev.narwhal.Header;
import dev.narwhal.Response;
import dev.narwhal.logging.LogText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The application's {@link Response} as Pekko's: Content-Type moves onto the entity,
 * Content-Length and Transfer-Encoding are Pekko's to set, and Connection, Server and Date become
 * the header models Pekko renders (it drops a plain header of those names, with a warning each
 * time). A field whose name is not a token is dropped: sent as given, it was a malformed line.
 */
final class ResponseConverter {
  /** Fields HTTP/2 forbids in a response, that an application written for HTTP/1 may set. */
  private static final List<String> CONNECTION_SPECIFIC = List.of("Connection", "Keep-Alive", "Proxy-Connection",
      "Upgrade");
  /** Fields Pekko renders only from its own model of them. */
  private static final List<String> MODELLED = List.of("Connection", "Server", "Date");
  /**
   * Parsing a media type is a measurable part of each response, and applications use a handful of
   * them, so parsed ones are kept (bounded, in case an application makes up a new one per request).
   */
  private static final Map<String, ContentType> CONTENT_TYPES = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_CONTENT_TYPES = 256;

  /** Hazard: a warning per response would be one per request; the application's bug, but the log's flood. */
  private final ThrottledWarning dropped = new ThrottledWarning(LoggerFactory.getLogger("narwhal"),
      "Dropped a response header the application set ({}); further ones are logged at most once a minute",
      "Dropped {} response header(s) the application set since the warning {} s ago (latest: {})");

  /** One per server: its warnings are its own. */
  ResponseConverter() {}

  /**
   * Builds Pekko's response. A body the application gave no type goes without one, as gunicorn,
   * Tomcat and Jetty send it (the client sniffs): an application/octet-stream made up here made
   * browsers download HTML.
   */
  public HttpResponse toHttpResponse(Response response) {
    List<HttpHeader> headers = new ArrayList<>(response.headers().size());
    ContentType contentType = ContentTypes.NO_CONTENT_TYPE;
    for (Header h : response.headers()) {
      if (h.is("Content-Type")) {
        contentType = parseContentType(h.value());
      } else if (!h.is("Content-Length") && !h.is("Transfer-Encoding")) {
        field(h, dropped).ifPresent(headers::add);
      }
    }
    byte[] body = response.bodyUnsafe();
    StatusCode status = status(response.statusCode());
    HttpResponse http = HttpResponse.create().withStatus(status);
    if (!headers.isEmpty()) { // Pekko converts even an empty list into a Scala one
      http = http.addHeaders(headers);
    }
    // 204, 205 and 304 have no content (RFC 9110 section 15): a body the application gave one is
    // dropped, as Jetty and Tomcat drop it; Pekko refuses such a response outright
    boolean noContent = !status.allowsEntity() || status.intValue() == 205;
    return noContent || body.length == 0 && response.header("Content-Type").isEmpty()
        ? http
        : http.withEntity(HttpEntities.create(contentType, body));
  }

  /**
   * The answer to a request of {@code method} over {@code version}: on HTTP/1, with
   * {@code Connection: close} when {@code close} (keepalive off: gunicorn closes after every
   * response, and Pekko does when the response says so); on HTTP/2, {@link #overHttp2}.
   */
  public HttpResponse answer(Response response, String method, String version, boolean close) {
    HttpResponse http = toHttpResponse(response);
    if (!version.startsWith("HTTP/1")) {
      return overHttp2(http, method);
    }
    // one Connection field: the application's own may say keep-alive
    return close ? http.removeHeader("Connection").addHeader(Connection.create("close")) : http;
  }

  /**
   * {@code http} as HTTP/2 may carry it, whoever made it (the application, a refusal): without
   * connection-specific fields (RFC 9113 section 8.2.2; a client takes one for a malformed
   * response), and for a HEAD without content, which Pekko's HTTP/2 renderer, unlike its HTTP/1
   * one, would send (the client then fails the stream with PROTOCOL_ERROR).
   */
  static HttpResponse overHttp2(HttpResponse http, String method) {
    for (String name : CONNECTION_SPECIFIC) {
      if (http.getHeader(name).isPresent()) {
        http = http.removeHeader(name);
      }
    }
    if (method.equals("HEAD") && http.entity() instanceof HttpEntity.Strict strict && strict.getData().size() > 0) {
      // the GET's Content-Type and Content-Length, and no bytes
      http = http.withEntity(HttpEntities.create(strict.getContentType(), strict.getData().size(), Source.empty()));
    }
    return http;
  }

  /** A 205 that lets Pekko write its {@code Content-Length: 0}; see {@link #status}. */
  private static final StatusCode RESET_CONTENT = StatusCodes.custom(205, "Reset Content", "", true, true);

  /**
   * Pekko's status for {@code code}, a custom one for a code it does not know (499). Pekko's own
   * 205 allows no entity, so it is sent without a length, and an HTTP/1.1 client then reads the
   * connection to its end as the (empty) content (RFC 9112 section 6.3): it waits for the
   * keep-alive timeout, and a pipelined answer after it is taken for that content. RFC 9110
   * (section 15.3.6) asks for {@code Content-Length: 0}, which Pekko writes for an empty entity.
   */
  static StatusCode status(int code) {
    if (code == 205) {
      return RESET_CONTENT;
    }
    return StatusCodes.lookup(code)
        .orElseGet(() -> StatusCodes.custom(code, "Status " + code, "", code < 400, code != 204 && code != 304));
  }

  private static Optional<HttpHeader> field(Header h, ThrottledWarning dropped) {
    if (!FieldValues.isToken(h.name())) {
      dropped.warn("'" + LogText.escape(h.name()) + "' is not a field name");
      return Optional.empty();
    }
    for (String name : MODELLED) {
      if (h.is(name)) {
        HttpHeader parsed = HttpHeader.parse(name, h.value()); // the name is a token: no exception
        if (parsed instanceof RawHeader) { // a value Pekko cannot read
          dropped.warn(name + ": '" + LogText.escape(h.value()) + "' cannot be read");
          return Optional.empty();
        }
        return Optional.of(parsed);
      }
    }
    return Optional.of(RawHeader.create(h.name(), h.value()));
  }

  private static ContentType parseContentType(String value) {
    ContentType cached = CONTENT_TYPES.get(value);
    if (cached != null) {
      return cached;
    }
    ContentType parsed;
    try {
      parsed = ContentTypes.parse(value);
    } catch (RuntimeException malformed) {
      parsed = ContentTypes.APPLICATION_OCTET_STREAM;
    }
    if (CONTENT_TYPES.size() < MAX_CACHED_CONTENT_TYPES) {
      CONTENT_TYPES.put(value, parsed);
    }
    return parsed;
  }
}
