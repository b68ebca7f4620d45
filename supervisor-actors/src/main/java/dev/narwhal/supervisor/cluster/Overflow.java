package dev.narwhal.supervisor.cluster;

import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.Response;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * What crosses nodes when a node whose backlog is full hands a request to a node with idle
 * workers (cluster.overflow): the request and the response, in full. Narwhal's {@link Request} and
 * {@link Response} are converted to these plain records, so the wire format is Jackson's and not
 * tied to the API classes.
 */
public final class Overflow {
  /** The request header a node adds to a request it forwards: the forwarding node's address. */
  public static final String FROM_HEADER = "X-Narwhal-Overflow-From";
  /** The response header added to a forwarded request's response: the node that served it. */
  public static final String SERVED_BY_HEADER = "X-Narwhal-Overflow";
  /**
   * Requests with a larger body are not forwarded (Artery's default frame is 256 KiB); they get
   * the 503 they would have had without a cluster.
   */
  public static final int MAX_BODY = 192 * 1024;

  private Overflow() {}

  /** One header, as sent. */
  public record HeaderField(String name, String value) {}

  /** A forwarded request. */
  public record ForwardedRequest(String method, String path, String query, String version, List<HeaderField> headers,
      byte[] body, String remoteHost, int remotePort, String scheme, String from) implements CborSerializable {
    public ForwardedRequest {
      headers = List.copyOf(headers);
    }

    public static ForwardedRequest of(Request r, String from) {
      InetSocketAddress remote = r.remoteAddress().orElse(null);
      return new ForwardedRequest(r.method(), r.path(), r.query(), r.version(),
          r.headers().stream().map(h -> new HeaderField(h.name(), h.value())).toList(), r.body(),
          remote == null ? "" : remote.getHostString(), remote == null ? 0 : remote.getPort(), r.scheme(), from);
    }

    /** The request as the serving node's workers see it, with {@link #FROM_HEADER} added. */
    public Request toRequest() {
      Request.Builder b = Request.builder(method, path).query(query).version(version).scheme(scheme)
          .headers(headers.stream().map(h -> new Header(h.name(), h.value())).toList())
          .header(FROM_HEADER, from)
          .body(body);
      if (!remoteHost.isEmpty()) {
        b.remoteAddress(InetSocketAddress.createUnresolved(remoteHost, remotePort));
      }
      return b.build();
    }
  }

  /** The serving node's response to a {@link ForwardedRequest}. */
  public record ForwardedResponse(int status, List<HeaderField> headers, byte[] body, String servedBy)
      implements CborSerializable {
    public ForwardedResponse {
      headers = List.copyOf(headers);
    }

    public static ForwardedResponse of(Response r, String servedBy) {
      return new ForwardedResponse(r.statusCode(),
          r.headers().stream().map(h -> new HeaderField(h.name(), h.value())).toList(), r.body(), servedBy);
    }

    /** The response for the client, with {@link #SERVED_BY_HEADER} naming the node that served it. */
    public Response toResponse() {
      Response.Builder b = Response.status(status);
      headers.forEach(h -> b.header(h.name(), h.value()));
      b.header(SERVED_BY_HEADER, servedBy);
      return b.body(body);
    }
  }
}
