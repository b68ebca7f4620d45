package dev.narwhal;

import dev.narwhal.logging.LogText;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as the application sees it: complete, immutable, and free of any server types
 * (Narwhal's counterpart of a WSGI environ).
 *
 * <p>Workers only ever receive complete requests: the front end has read the whole head and body
 * before a worker is involved, so a slow client never holds a worker.
 *
 * <p>A large body (over {@code body-spool-threshold}) is not held in memory: the front end writes
 * it to a file in {@code worker-tmp-dir} and deletes that file once the request has been answered
 * (or has timed out). {@link #bodyStream()} reads such a body without loading it; {@link #body()}
 * and {@link #bodyAsString()} still work, reading the file on each call. Read the body while
 * handling the request, not afterwards.
 */
public final class Request {
  private final String method;
  private final String path;
  private final String query;
  private final String version;
  private final List<Header> headers;
  private final byte[] body;
  /** Where a spooled body is, or null when it is in {@link #body}. */
  private final Path bodyFile;
  private final long bodySize;
  private final InetSocketAddress remoteAddress;
  private final InetSocketAddress clientAddress;
  private final String scheme;
  private final List<X509Certificate> clientCertificates;

  private Request(Builder b) {
    this.method = Objects.requireNonNull(b.method, "method");
    this.path = Objects.requireNonNull(b.path, "path");
    this.query = b.query == null ? "" : b.query;
    this.version = b.version;
    this.headers = List.copyOf(b.headers);
    this.body = b.body;
    this.bodyFile = b.bodyFile;
    this.bodySize = b.bodyFile == null ? b.body.length : b.bodySize;
    this.remoteAddress = b.remoteAddress;
    this.clientAddress = b.clientAddress == null ? b.remoteAddress : b.clientAddress;
    this.scheme = b.scheme;
    this.clientCertificates = b.clientCertificates;
  }

  public static Builder builder(String method, String path) {
    return new Builder(method, path);
  }

  /** The method as sent, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The path of the request target, percent-encoding kept as sent (e.g. {@code /a%20b}). */
  public String path() {
    return path;
  }

  /** The raw query string without the {@code ?}; empty when the target had none. */
  public String query() {
    return query;
  }

  /** The protocol version, e.g. {@code HTTP/1.1}. */
  public String version() {
    return version;
  }

  /** Every field line in the order received, repeated names kept as separate entries. */
  public List<Header> headers() {
    return headers;
  }

  /** The first value of the named field, if present (name compared case-insensitively). */
  public Optional<String> header(String name) {
    for (Header h : headers) {
      if (h.is(name)) {
        return Optional.of(h.value());
      }
    }
    return Optional.empty();
  }

  /** Every value of the named field, in order. */
  public List<String> headers(String name) {
    List<String> values = new ArrayList<>();
    for (Header h : headers) {
      if (h.is(name)) {
        values.add(h.value());
      }
    }
    return values;
  }

  /**
   * The whole body, after de-chunking. A copy: the request itself stays immutable. A spooled body
   * is read from its file on each call; prefer {@link #bodyStream()} for those.
   *
   * @throws UncheckedIOException if a spooled body cannot be read (its file is gone because the
   *     request was already answered or timed out)
   */
  public byte[] body() {
    if (bodyFile == null) {
      return body.clone();
    }
    try {
      return Files.readAllBytes(bodyFile);
    } catch (IOException e) {
      throw new UncheckedIOException("request body file " + bodyFile + " could not be read", e);
    }
  }

  /**
   * The body as a stream, read from memory or, for a spooled body, from its file without loading
   * it. Each call starts from the beginning; the caller closes the stream.
   *
   * @throws UncheckedIOException as {@link #body()}
   */
  public InputStream bodyStream() {
    if (bodyFile == null) {
      return new ByteArrayInputStream(body);
    }
    try {
      return Files.newInputStream(bodyFile);
    } catch (IOException e) {
      throw new UncheckedIOException("request body file " + bodyFile + " could not be opened", e);
    }
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(bodyFile == null ? body : body(), StandardCharsets.UTF_8);
  }

  /** The body's length in bytes. For bodies over 2 GiB (limit-request-body 0), use {@link #bodySize()}. */
  public int bodyLength() {
    return (int) Math.min(bodySize, Integer.MAX_VALUE);
  }

  /** The body's length in bytes. */
  public long bodySize() {
    return bodySize;
  }

  /** True when the body was spooled to a file rather than held in memory. */
  public boolean bodySpooled() {
    return bodyFile != null;
  }

  /**
   * The peer's address, when the transport knows it: behind a proxy, the proxy's (gunicorn's
   * REMOTE_ADDR), unless the proxy speaks the PROXY protocol ({@code proxy-protocol}), whose
   * header's client address it is then, as gunicorn's. See {@link #clientAddress()} for the client's.
   */
  public Optional<InetSocketAddress> remoteAddress() {
    return Optional.ofNullable(remoteAddress);
  }

  /**
   * The client's address: the one a proxy trusted by {@code forwarded-allow-ips} reported in
   * {@code Forwarded} or {@code X-Forwarded-For} (port 0 when it gave none), otherwise
   * {@link #remoteAddress()}.
   */
  public Optional<InetSocketAddress> clientAddress() {
    return Optional.ofNullable(clientAddress);
  }

  /**
   * {@code http} or {@code https}: the connection's, or the one a proxy trusted by
   * {@code forwarded-allow-ips} reported ({@code X-Forwarded-Proto}, {@code Forwarded: proto=}).
   */
  public String scheme() {
    return scheme;
  }

  /**
   * The certificate chain the client presented in the TLS handshake, its own certificate first,
   * verified against {@code ca-certs} ({@code cert-reqs} optional or required; the servlet
   * bridge's {@code jakarta.servlet.request.X509Certificate}). Empty without TLS, when the client
   * sent none, and behind a proxy that ends TLS itself.
   */
  public List<X509Certificate> clientCertificates() {
    return clientCertificates;
  }

  /** The first value of a query parameter, percent-decoded. */
  public Optional<String> queryParam(String name) {
    return Optional.ofNullable(queryParams().get(name));
  }

  /** Query parameters, percent-decoded; the first value wins for repeated names ({@link #queryParamValues}). */
  public Map<String, String> queryParams() {
    Map<String, String> params = new LinkedHashMap<>();
    queryParamsAll().forEach((name, values) -> params.put(name, values.get(0)));
    return params;
  }

  /** Every value of a query parameter, percent-decoded, in order ({@code ?tag=a&tag=b}); empty if absent. */
  public List<String> queryParamValues(String name) {
    return queryParamsAll().getOrDefault(name, List.of());
  }

  private Map<String, List<String>> queryParamsAll() {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.computeIfAbsent(decode(key), k -> new ArrayList<>()).add(decode(value));
    }
    return params;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return s;
    }
  }

  @Override
  public String toString() {
    // error-log lines print requests this way: escaped, so a control character cannot forge a line
    return LogText.escape(method + " " + path + (query.isEmpty() ? "" : "?" + query) + " " + version);
  }

  /** Builds a {@link Request}; used by the server and by tests that call a handler directly. */
  public static final class Builder {
    private final String method;
    private final String path;
    private String query = "";
    private String version = "HTTP/1.1";
    private final List<Header> headers = new ArrayList<>();
    private byte[] body = new byte[0];
    private Path bodyFile;
    private long bodySize;
    private InetSocketAddress remoteAddress;
    private InetSocketAddress clientAddress;
    private String scheme = "http";
    private List<X509Certificate> clientCertificates = List.of();

    private Builder(String method, String path) {
      this.method = method;
      this.path = path;
    }

    public Builder query(String query) {
      this.query = query;
      return this;
    }

    public Builder version(String version) {
      this.version = Objects.requireNonNull(version);
      return this;
    }

    public Builder header(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    public Builder headers(List<Header> all) {
      headers.addAll(all);
      return this;
    }

    /** Takes ownership of {@code bytes}: the caller must not change them afterwards. */
    public Builder body(byte[] bytes) {
      this.body = Objects.requireNonNull(bytes);
      this.bodyFile = null;
      return this;
    }

    /**
     * A body held in a file of {@code size} bytes rather than in memory (a spooled body). The
     * request only reads the file; whoever wrote it deletes it.
     */
    public Builder bodyFile(Path file, long size) {
      this.bodyFile = Objects.requireNonNull(file);
      this.bodySize = size;
      this.body = new byte[0];
      return this;
    }

    public Builder body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    public Builder remoteAddress(InetSocketAddress address) {
      this.remoteAddress = address;
      return this;
    }

    /** The client behind the proxies; defaults to the remote address. */
    public Builder clientAddress(InetSocketAddress address) {
      this.clientAddress = address;
      return this;
    }

    public Builder scheme(String scheme) {
      this.scheme = Objects.requireNonNull(scheme);
      return this;
    }

    /** The client's certificate chain, its own certificate first. */
    public Builder clientCertificates(List<X509Certificate> chain) {
      this.clientCertificates = List.copyOf(chain);
      return this;
    }

    public Request build() {
      return new Request(this);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Request r
        && method.equals(r.method)
        && path.equals(r.path)
        && query.equals(r.query)
        && version.equals(r.version)
        && headers.equals(r.headers)
        && Arrays.equals(body, r.body)
        && Objects.equals(bodyFile, r.bodyFile)
        && Objects.equals(remoteAddress, r.remoteAddress)
        && Objects.equals(clientAddress, r.clientAddress)
        && scheme.equals(r.scheme)
        && clientCertificates.equals(r.clientCertificates);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, query, version, headers, Arrays.hashCode(body));
  }
}
