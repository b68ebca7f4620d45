package dev.narwhal.http.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * INTERNAL API. How the application's binds speak: plain HTTP or HTTPS ({@link Tls}), HTTP/2 or
 * not ({@code http-protocols}, {@code http2-cleartext}), with or without a Server header. Kept out of
 * {@link HttpFrontend}, which only asks for the scheme, whether HTTP/2 is on, and for these settings
 * applied to a server builder.
 *
 * <p>HTTP/2 changes how a bind is made: Pekko HTTP serves it only through
 * {@code ServerBuilder.bind(handler)}, which runs no per-connection stage of Narwhal's, so such
 * binds are made by {@link Http2Binding}, which chooses the protocol per connection as Pekko does
 * (ALPN on TLS, the connection preface in cleartext) and keeps keepalive and header-timeout on both.
 */
public final class Transport {
  private final Optional<Tls> tls;
  /** The key and certificates new connections get: {@link #reloadCertificates} swaps them (SIGHUP). */
  private final AtomicReference<Tls> current;
  private final boolean http2;
  private final boolean serverHeader;
  private final int maxConcurrentStreams;

  private Transport(Optional<Tls> tls, boolean http2, boolean serverHeader, int maxConcurrentStreams) {
    this.maxConcurrentStreams = maxConcurrentStreams;
    this.tls = tls;
    this.current = new AtomicReference<>(tls.orElse(null));
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
    return new Transport(tls, http2, config.get(Settings.SERVER_HEADER),
        config.get(Settings.HTTP2_MAX_CONCURRENT_STREAMS));
  }

  /** {@code https} with TLS, else {@code http}. */
  public String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  /** Whether binds serve HTTP/2 too (and so must be made with a handler function, not a flow). */
  public boolean http2() {
    return http2;
  }

  /**
   * Whether the binds' connections need the JVM's default SSLContext: only cleartext HTTP/2 does,
   * through Pekko's placeholder session ({@code TLSPlacebo}, used by its prior-knowledge path).
   * Plain HTTP/1 connections get {@link Plaintext}'s session, and HTTPS its own context.
   */
  public boolean needsDefaultSslContext() {
    return http2 && tls.isEmpty();
  }

  /**
   * Reads keyfile and certfile again for the connections to come, as gunicorn does on SIGHUP, so
   * a renewed certificate needs no restart; connections already open keep theirs. Whether the
   * binds speak TLS at all cannot change without new sockets.
   *
   * @return false when {@code config} would turn TLS on or off, which needs a restart
   * @throws dev.narwhal.config.SettingsException when the new files cannot be used (the old ones stay)
   */
  public boolean reloadCertificates(ServerConfig config) {
    Optional<Tls> next = Tls.from(config);
    if (next.isPresent() != tls.isPresent()) {
      return false;
    }
    next.ifPresent(current::set);
    return true;
  }

  /** HTTPS on the builder, when configured; each connection's engine comes from the current certificates. */
  ServerBuilder secure(ServerBuilder builder) {
    return tls.isEmpty() ? builder : builder.enableHttps(Tls.connectionContext(current::get));
  }

  /** What {@link #secure} puts on a builder, for binds made without one ({@link GuardedBind}). */
  ConnectionContext connectionContext() {
    return tls.isEmpty() ? ConnectionContext.noEncryption() : Tls.connectionContext(current::get);
  }

  /** The HTTPS context binds that serve HTTP/2 too get (they are made without a ServerBuilder), if TLS is on. */
  Optional<org.apache.pekko.http.scaladsl.HttpsConnectionContext> https() {
    return tls.map(t -> (org.apache.pekko.http.scaladsl.HttpsConnectionContext) Tls.connectionContext(current::get));
  }

  /**
   * HTTP/2 on or off, at most http2-max-concurrent-streams streams at once on one connection
   * (advertised in SETTINGS, and the excess refused with REFUSED_STREAM), the TLS session on each
   * request of a TLS bind, and the Server header dropped when server-header is off.
   */
  ServerSettings adapt(ServerSettings settings) {
    ServerSettings adapted = settings.withEnableHttp2(http2)
        .withHttp2Settings(settings.getHttp2Settings().withMaxConcurrentStreams(maxConcurrentStreams))
        // the session on each request, for the client's certificates (Request.clientCertificates);
        // on every TLS bind, since a reload may start asking for them
        .withParserSettings(settings.getParserSettings().withIncludeSslSessionAttribute(tls.isPresent()));
    return serverHeader ? adapted : adapted.withServerHeader(Optional.empty());
  }
}
