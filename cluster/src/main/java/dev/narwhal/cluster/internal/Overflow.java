package dev.narwhal.cluster.internal;

import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.cluster.ClusterHost;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What crosses nodes when a node whose backlog is full hands a request to a node with idle
 * workers (cluster.overflow): the request and the response, in full. Narwhal's {@link Request} and
 * {@link Response} are converted to these plain records, so the wire format is Jackson's and not
 * tied to the API classes.
 */
public final class Overflow {
  /** The request header a node adds to a request it forwards: the forwarding node's id. */
  public static final String FROM_HEADER = "X-Narwhal-Overflow-From";
  /** The response header added to a forwarded request's response: the serving node's id. */
  public static final String SERVED_BY_HEADER = "X-Narwhal-Overflow";
  /**
   * The largest request or response that crosses nodes, counting headers, target and body (Artery's
   * default frame is 256 KiB; a larger message is dropped by Artery, and its answer never comes).
   * A larger request gets the 503 it would have had without a cluster, unrun.
   */
  public static final int MAX_MESSAGE = 192 * 1024;
  /** What a header line costs on top of its name and value, in {@link #MAX_MESSAGE} terms. */
  private static final int PER_HEADER = 16;

  private Overflow() {}

  /** Whether {@code name} is one of the headers only nodes set. */
  public static boolean isNodeHeader(String name) {
    // the front end drops a client's (ClusterHost.NODE_HEADER_PREFIX), so one on a request is a node's word
    return ClusterHost.isNodeHeader(name);
  }

  /** One header, as sent. */
  public record HeaderField(String name, String value) {}

  /**
   * A forwarded request.
   *
   * @param remoteHost the connection's peer as the forwarding node saw it (an IP literal)
   * @param clientHost the client as the forwarding node resolved it (forwarded-allow-ips applied
   *     there): the serving node takes this statement, never the request's own Forwarded headers
   * @param waitMillis how long the forwarding node waits for the answer
   * @param from the forwarding node's id
   * @param clientCertificates the chain the client presented to the forwarding node, DER-encoded;
   *     absent (null) from a node of an older version
   */
  public record ForwardedRequest(String method, String path, String query, String version, List<HeaderField> headers,
      byte[] body, String remoteHost, int remotePort, String clientHost, int clientPort, String scheme, String from,
      long waitMillis, List<byte[]> clientCertificates) implements CborSerializable {
    public ForwardedRequest {
      headers = List.copyOf(headers);
      clientCertificates = clientCertificates == null ? List.of() : List.copyOf(clientCertificates);
    }

    public static ForwardedRequest of(Request r, String from, long waitMillis) {
      InetSocketAddress remote = r.remoteAddress().orElse(null);
      InetSocketAddress client = r.clientAddress().orElse(null);
      return new ForwardedRequest(r.method(), r.path(), r.query(), r.version(),
          r.headers().stream().map(h -> new HeaderField(h.name(), h.value())).toList(), r.body(),
          host(remote), remote == null ? 0 : remote.getPort(), host(client), client == null ? 0 : client.getPort(),
          r.scheme(), from, waitMillis, r.clientCertificates().stream().map(ForwardedRequest::encoded).toList());
    }

    private static byte[] encoded(X509Certificate certificate) {
      try {
        return certificate.getEncoded();
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException("a certificate the TLS handshake accepted cannot be encoded", e);
      }
    }

    /** The client's chain as the forwarding node's TLS handshake verified it: the cluster's nodes trust each other. */
    private List<X509Certificate> certificates() {
      try {
        CertificateFactory x509 = CertificateFactory.getInstance("X.509");
        List<X509Certificate> chain = new ArrayList<>();
        for (byte[] der : clientCertificates) {
          chain.add((X509Certificate) x509.generateCertificate(new ByteArrayInputStream(der)));
        }
        return chain;
      } catch (CertificateException e) {
        throw new IllegalStateException("a forwarded client certificate cannot be read", e);
      }
    }

    /** About how large it is on the wire, for {@link #MAX_MESSAGE}. */
    public static long size(Request r) {
      return r.bodyLength() + r.path().length() + r.query().length() + headersSize(
          r.headers().stream().map(h -> new HeaderField(h.name(), h.value())).toList())
          + r.clientCertificates().stream().mapToLong(c -> encoded(c).length).sum();
    }

    /**
     * The request as the serving node's workers see it: the original client's address, and
     * {@link #FROM_HEADER} set by this node's word only.
     */
    public Request toRequest() {
      Request.Builder b = Request.builder(method, path).query(query).version(version).scheme(scheme)
          .headers(headers.stream().filter(h -> !isNodeHeader(h.name())).map(h -> new Header(h.name(), h.value())).toList())
          .header(FROM_HEADER, from)
          .body(body);
      address(remoteHost, remotePort).ifPresent(b::remoteAddress);
      address(clientHost, clientPort).ifPresent(b::clientAddress);
      return b.clientCertificates(certificates()).build();
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

    /** About how large it is on the wire, for {@link #MAX_MESSAGE}. */
    public long size() {
      return body.length + headersSize(headers);
    }

    /** The response for the client, with {@link #SERVED_BY_HEADER} naming the node that served it. */
    public Response toResponse() {
      Response.Builder b = Response.status(status);
      headers.forEach(h -> b.header(h.name(), h.value()));
      b.header(SERVED_BY_HEADER, servedBy);
      return b.body(body);
    }
  }

  private static long headersSize(List<HeaderField> headers) {
    long size = 0;
    for (HeaderField h : headers) {
      size += h.name().length() + h.value().length() + PER_HEADER;
    }
    return size;
  }

  /** The address as an IP literal (never a name the other node would look up); empty when unknown. */
  private static String host(InetSocketAddress address) {
    if (address == null) {
      return "";
    }
    return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
  }

  /** Parses what {@link #host} wrote; an IP literal is parsed, never looked up. */
  private static Optional<InetSocketAddress> address(String host, int port) {
    if (host.isEmpty()) {
      return Optional.empty();
    }
    if (host.matches("[0-9.]+|[0-9A-Fa-f:.%a-zA-Z]*:[0-9A-Fa-f:.%a-zA-Z]*")) {
      try {
        return Optional.of(new InetSocketAddress(InetAddress.getByName(host), port));
      } catch (UnknownHostException notALiteral) {
        // fall through: kept as the text it was
      }
    }
    return Optional.of(InetSocketAddress.createUnresolved(host, port));
  }
}
