package dev.narwhal.http.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.util.Optional;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * INTERNAL API. How the application's binds speak: plain HTTP or HTTPS ({@link Tls}), HTTP/2 or
 * not ({@code http-protocols}, {@code http2-cleartext}), with or without a Server header. Kept out of
 * {@link HttpFrontend}, which only asks for the scheme, whether HTTP/2 is on, and for these settings
 * applied to a server builder.
 *
 * <p>HTTP/2 changes how a bind is made: Pekko HTTP serves it only through
 * {@code ServerBuilder.bind(handler)} (its {@code bindFlow} falls back to HTTP/1.1 with a warning), and
 * there chooses per connection: by ALPN on TLS, by the connection preface in cleartext. HTTP/1.1
 * connections on such a bind then run Pekko's own per-connection flow rather than Narwhal's, so the
 * keepalive setting's idle clock does not apply to them (idle-timeout closes them instead); every
 * request still goes through the same handler, hence the framing checks, the worker pool and the
 * access log.
 */
public final class Transport {
  private final Optional<Tls> tls;
  private final boolean http2;
  private final boolean serverHeader;

  private Transport(Optional<Tls> tls, boolean http2, boolean serverHeader) {
    this.tls = tls;
    this.http2 = http2;
    this.serverHeader = serverHeader;
  }

  /**
   * Reads the TLS files and protocol settings.
   *
   * @throws dev.narwhal.config.SettingsException when a TLS file cannot be used
   */
  public static Transport from(ServerConfig config) {
    Optional<Tls> tls = Tls.from(config);
    boolean http2 = tls.isPresent()
        ? config.get(Settings.HTTP_PROTOCOLS).contains("h2")
        : config.get(Settings.HTTP2_CLEARTEXT);
    return new Transport(tls, http2, config.get(Settings.SERVER_HEADER));
  }

  /** {@code https} with TLS, else {@code http}. */
  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  /** Whether binds serve HTTP/2 too (and so must be made with a handler function, not a flow). */
  public boolean http2() {
    return http2;
  }

  /** HTTPS on the builder, when configured. */
  ServerBuilder secure(ServerBuilder builder) {
    return tls.map(t -> builder.enableHttps(t.connectionContext())).orElse(builder);
  }

  /** HTTP/2 on or off, and the Server header dropped when server-header is off. */
  ServerSettings adapt(ServerSettings settings) {
    ServerSettings adapted = settings.withEnableHttp2(http2);
    return serverHeader ? adapted : adapted.withServerHeader(Optional.empty());
  }
}
