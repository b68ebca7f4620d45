package dev.narwhal.http.internal;

import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.cluster.ClusterHost;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.pekko.http.javadsl.model.AttributeKey;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.SslSessionInfo;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RawRequestURI;

/**
 * INTERNAL API. Converts Pekko HTTP's request to Narwhal's own {@link Request}, so applications
 * never see Pekko types ({@link ResponseConverter} converts the answer back).
 */
public final class RequestConverter {
  /**
   * A header Pekko adds itself when its own request-timeout is on (Narwhal turns it off; a
   * deployment's Pekko settings may turn it back on). HttpHeader.is takes a lower-case name; the
   * application must see only what the client sent.
   */
  private static final String TIMEOUT_ACCESS_LOWER = "timeout-access";

  /** Methods whose requests carry a Content-Length even when empty; Pekko hides a zero length. */
  private static final java.util.Set<String> BODY_METHODS = java.util.Set.of("POST", "PUT", "PATCH");

  /**
   * Set by {@link GuardedBind} on a request whose head said {@code Content-Length: 0}: Pekko drops
   * that field, and for a GET the application would not see it was sent.
   */
  static final AttributeKey<Boolean> DECLARED_EMPTY = AttributeKey.create("narwhal-declared-empty", Boolean.class);
  /** The Content-Type value as the client sent it ("" for none), when the framing guard saw the head. */
  static final AttributeKey<String> SENT_CONTENT_TYPE = AttributeKey.create("narwhal-sent-content-type", String.class);

  private RequestConverter() {}

  /** Builds the application's request from a request whose entity has been read in full. */
  public static Request toRequest(HttpRequest http, HttpEntity.Strict entity, String scheme) {
    return toRequest(http, entity, scheme, ForwardedHeaders.trusting(List.of()));
  }

  /**
   * Like {@link #toRequest(HttpRequest, HttpEntity.Strict, String)}, with the client address and
   * scheme taken from proxies' headers when {@code forwarded} trusts the peer.
   */
  public static Request toRequest(HttpRequest http, HttpEntity.Strict entity, String scheme, ForwardedHeaders forwarded) {
    return builder(http, entity.getData().size(), scheme, forwarded).body(entity.getData().toArray()).build();
  }

  /** Builds the application's request from a body read in full, in memory or spooled to a file. */
  static Request toRequest(HttpRequest http, BodySpool.Body body, String scheme, ForwardedHeaders forwarded) {
    Request.Builder request = builder(http, body.size(), scheme, forwarded);
    return (body.file() == null ? request.body(body.bytes().toArray()) : request.bodyFile(body.file(), body.size())).build();
  }

  private static Request.Builder builder(HttpRequest http, long bodySize, String scheme, ForwardedHeaders forwarded) {
    String[] pathAndQuery = splitTarget(requestTarget(http));
    InetSocketAddress peer = remoteAddress(http).orElse(null);
    ForwardedHeaders.Resolved client = forwarded.resolve(peer, scheme, http.getHeaders());
    return Request.builder(http.method().value(), pathAndQuery[0])
        .query(pathAndQuery[1])
        .version(http.protocol().value())
        .scheme(client.scheme())
        .headers(headersOf(http, bodySize))
        .remoteAddress(peer)
        .clientAddress(client.client())
        .clientCertificates(clientCertificates(http));
  }

  /**
   * Where a TLS session keeps its client's chain once read. A session's peer never changes, and
   * without a certificate the JDK answers by throwing: once per session, not per request.
   */
  private static final String CLIENT_CERTIFICATES = "dev.narwhal.clientCertificates";

  /**
   * The chain the client presented, from the TLS session Pekko puts on each request of a TLS bind
   * ({@link Transport#adapt}); empty without TLS or when it presented none.
   */
  private static List<X509Certificate> clientCertificates(HttpRequest http) {
    Optional<SslSessionInfo> tls = http.getAttribute(AttributeKeys.sslSession);
    if (tls.isEmpty()) {
      return List.of();
    }
    SSLSession session = tls.get().getSession();
    @SuppressWarnings("unchecked")
    List<X509Certificate> known = (List<X509Certificate>) session.getValue(CLIENT_CERTIFICATES);
    if (known != null) {
      return known;
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        if (c instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
    } catch (SSLPeerUnverifiedException none) {
      // no certificate: the JDK says so only by throwing, hence the value kept on the session
    }
    List<X509Certificate> found = List.copyOf(chain);
    session.putValue(CLIENT_CERTIFICATES, found);
    return found;
  }

  /**
   * The request-target as sent. Over HTTP/1 that is the request line, which Pekko's parser hands on
   * as its own {@link RawRequestURI} header (raw-request-uri-header); over HTTP/2 it is the
   * {@code :path} pseudo-header, which Pekko has already made the URI. Only Pekko's header counts,
   * told apart by its class: a field a client sends under the same name is a plain header (and over
   * HTTP/2 the only one there is), and taking it would let the client serve one path to a proxy
   * that checked another, with the access log recording the forged one. Without Pekko's header
   * the target comes from the parsed URI.
   */
  static String requestTarget(HttpRequest http) {
    if (http.protocol().value().startsWith("HTTP/1")) {
      for (HttpHeader h : http.getHeaders()) {
        if (h instanceof RawRequestURI pekkos) {
          return pekkos.uri();
        }
      }
    }
    return http.getUri().toString();
  }

  /**
   * The field lines as received. Pekko keeps Content-Type, Content-Length and Transfer-Encoding on
   * the entity rather than in the header list, so they are put back (at the end). Content-Type as
   * the client sent it where the framing guard saw it: Pekko's parsed copy drops parameters it does
   * not model (a form's charset), keeps the last of repeated ones and makes up
   * application/octet-stream for a body without one. HTTP/1 only: an HTTP/2 request passes no
   * framing guard, and gets Pekko's copy as before.
   */
  private static List<Header> headersOf(HttpRequest http, long bodySize) {
    List<Header> headers = new ArrayList<>();
    HttpEntity original = http.entity();
    String sentType = SentContentType.of(http.getAttribute(SENT_CONTENT_TYPE), original.getContentType(), http.getHeaders());
    Optional<String> authority = http2Authority(http);
    authority.ifPresent(a -> headers.add(new Header("Host", a)));
    for (HttpHeader h : http.getHeaders()) {
      // X-Narwhal-Overflow-*: only a cluster node sets them; a client's would pass for a node's word
      if (!(h instanceof RawRequestURI) && !h.is(TIMEOUT_ACCESS_LOWER) && !(authority.isPresent() && h.is("host"))
          && !ClusterHost.isNodeHeader(h.name()) && !pekkosUpgrade(h) && !(sentType != null && h.is("content-type"))) {
        headers.add(new Header(h.name(), h.value()));
      }
    }
    if (sentType != null) {
      if (!sentType.isEmpty()) {
        headers.add(new Header("Content-Type", sentType));
      }
    } else if (!original.getContentType().equals(ContentTypes.NO_CONTENT_TYPE)) {
      headers.add(new Header("Content-Type", original.getContentType().toString()));
    }
    if (original.isChunked()) {
      headers.add(new Header("Transfer-Encoding", "chunked"));
    } else if (bodySize > 0 || BODY_METHODS.contains(http.method().value())
        || http.getAttribute(DECLARED_EMPTY).isPresent()) {
      headers.add(new Header("Content-Length", Long.toString(bodySize)));
    }
    return headers;
  }

  /**
   * The field Pekko adds to a WebSocket handshake for its own use (it carries the handshake, not a
   * value). A client's field of the same name is a raw header and stays: it is the client's.
   */
  private static boolean pekkosUpgrade(HttpHeader h) {
    return !(h instanceof RawHeader) && h.is("upgradetowebsocket");
  }

  /**
   * HTTP/2 sends no Host field, but the {@code :authority} pseudo-header, which Pekko turns into
   * the URI's authority. Like gunicorn (RFC 9113 section 8.3.1: it takes precedence over a Host
   * field), the application gets it as Host, so code reading Host works over both versions.
   */
  private static Optional<String> http2Authority(HttpRequest http) {
    if (!http.protocol().value().equals("HTTP/2.0")) {
      return Optional.empty();
    }
    String authority = ((org.apache.pekko.http.scaladsl.model.HttpRequest) http).uri().authority().toString();
    return authority.isEmpty() ? Optional.empty() : Optional.of(authority);
  }

  /** Splits a request-target (origin-form, absolute-form or {@code *}) into raw path and query. */
  static String[] splitTarget(String target) {
    String rest = target;
    int scheme = rest.indexOf("://");
    if (scheme > 0 && !rest.startsWith("/")) {
      int pathStart = rest.indexOf('/', scheme + 3);
      int queryStart = rest.indexOf('?', scheme + 3);
      if (pathStart < 0 || (queryStart >= 0 && queryStart < pathStart)) {
        rest = "/" + (queryStart >= 0 ? rest.substring(queryStart) : "");
      } else {
        rest = rest.substring(pathStart);
      }
    }
    int fragment = rest.indexOf('#');
    if (fragment >= 0) {
      rest = rest.substring(0, fragment);
    }
    int q = rest.indexOf('?');
    return q < 0 ? new String[] {rest, ""} : new String[] {rest.substring(0, q), rest.substring(q + 1)};
  }

  private static Optional<InetSocketAddress> remoteAddress(HttpRequest http) {
    Optional<RemoteAddress> remote = http.getAttribute(AttributeKeys.remoteAddress);
    return remote.flatMap(r -> r.getAddress().map(a -> new InetSocketAddress(a, r.getPort())));
  }
}
