package dev.narwhal.http.internal;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Attributes;

/**
 * INTERNAL API. What the stages of one connection share, handed to them as a stream attribute of
 * that connection's materialization. Why an attribute: {@link GuardedBind} builds a connection's
 * graph once per bind and only materializes it per connection; composing the graph anew for each
 * connection (the layers joined, the stages made) cost about two fifths of what a new connection
 * cost beyond materializing it. Stages read it when they start ({@link #of}), so none of them holds
 * one connection's state in the shared blueprint.
 */
final class ConnectionScope implements Attributes.Attribute {
  /** What {@link RawFramingGuard} saw of each head it passed, taken by the request Pekko parses from it, in order. */
  private final Queue<Head> heads = new ConcurrentLinkedQueue<>();
  private final ProxyProtocol.Connection proxied;
  /** Set once a request of this connection has been parsed, on either protocol: read by {@link HandshakeDeadline}. */
  private volatile boolean served;

  ConnectionScope(ProxyProtocol.Connection proxied) {
    this.proxied = proxied;
  }

  /**
   * The scope of the connection a stage is materialized for. Hazard: a stage used outside
   * {@link GuardedBind}'s connections has none, and that is a wiring bug, not a state to carry on in.
   */
  static ConnectionScope of(Attributes attributes) {
    return attributes.getAttribute(ConnectionScope.class)
        .orElseThrow(() -> new IllegalStateException("a connection stage outside a GuardedBind connection"));
  }

  /**
   * {@code fixed} when a stage was built for one connection (the HTTP/2 binds compose each
   * connection's graph anew, and Pekko's protocol switch materializes it apart from the
   * connection's attributes), else the scope of the connection it is materialized for. Every
   * stage that keeps one connection's state takes its scope this way.
   */
  static ConnectionScope of(ConnectionScope fixed, Attributes attributes) {
    return fixed != null ? fixed : of(attributes);
  }

  private record Head(boolean saidEmpty, String contentType) {}

  /** Told by the guard, per head passed on: see {@link RequestFraming.HeadListener}. */
  void headPassed(boolean saidEmpty, String contentType) {
    heads.add(new Head(saidEmpty, contentType));
  }

  ProxyProtocol.Connection proxied() {
    return proxied;
  }

  /** An HTTP/2 stream's request, with the PROXY header's client: all HTTP/2 requests learn from below. */
  HttpRequest applyHttp2(HttpRequest request) {
    served = true;
    return proxied.apply(request);
  }

  /** Whether a request of this connection has been parsed yet. */
  boolean served() {
    return served;
  }

  /**
   * {@code request} with what the layers below learned of it: an empty body declared, the
   * Content-Type as sent, the PROXY header's client.
   */
  HttpRequest apply(HttpRequest request) {
    served = true;
    Head head = heads.poll();
    HttpRequest seen = request;
    if (head != null && head.saidEmpty()) {
      seen = seen.addAttribute(RequestConverter.DECLARED_EMPTY, Boolean.TRUE);
    }
    if (head != null && head.contentType() != null) {
      seen = seen.addAttribute(RequestConverter.SENT_CONTENT_TYPE, head.contentType());
    }
    return proxied.apply(seen);
  }
}
