package dev.narwhal.http.internal;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.impl.engine.HttpConnectionIdleTimeoutBidi;
import org.apache.pekko.http.impl.engine.server.HttpAttributes$;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.settings.ParserSettings;
import org.apache.pekko.http.scaladsl.Http;
import org.apache.pekko.http.scaladsl.HttpExt;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import scala.Option;
import scala.jdk.javaapi.FutureConverters;

/**
 * INTERNAL API. A plain or HTTPS HTTP/1 bind with {@link RawFramingGuard} between TLS and Pekko
 * HTTP's parser. Pekko's own binds ({@code ServerBuilder.bindFlow}) offer no place below the HTTP
 * layer, so this puts together what {@code HttpExt.bindAndHandle} does (Pekko HTTP 1.3): a TCP bind,
 * and for each connection Pekko's server layer atop TLS atop its idle-timeout, with the guard
 * inserted, at most {@code max-connections} at once. What it leaves out is Pekko's graceful
 * termination stage: {@link ConnectionDrain} closes these connections at a stop, and the binding's
 * {@code terminate} only unbinds. With proxy-protocol on, {@link ProxyProtocol}'s stage reads the
 * PROXY header below TLS, and the client it names goes on each request of the connection.
 */
public final class GuardedBind {
  private GuardedBind() {}

  /**
   * A plain bind with Pekko's server settings from {@code system}'s config and no PROXY header:
   * the admin API's. Its requests get the same framing checks as the application's, and it
   * makes no default SSLContext (see {@link Plaintext}), which Pekko's own bind would.
   */
  public static CompletionStage<ServerBinding> plain(ActorSystem<?> system, String host, int port,
      Flow<HttpRequest, HttpResponse, ?> handler) {
    var settings = org.apache.pekko.http.javadsl.settings.ServerSettings.create(system.classicSystem());
    return bind(system, Materializer.matFromSystem(system), host, port, PekkoSettings.answeringParseErrors(settings),
        ConnectionContext.noEncryption(), Duration.ZERO, system.classicSystem().log(), null, handler);
  }

  static CompletionStage<ServerBinding> bind(ActorSystem<?> system, Materializer materializer, String host, int port,
      org.apache.pekko.http.javadsl.settings.ServerSettings javaSettings, ConnectionContext context,
      Duration headerTimeout, LoggingAdapter log, ProxyProtocol proxy, Flow<HttpRequest, HttpResponse, ?> handler) {
    var settings = (org.apache.pekko.http.scaladsl.settings.ServerSettings) javaSettings;
    var tlsContext = (org.apache.pekko.http.scaladsl.ConnectionContext) context;
    HttpExt http = Http.apply(system.classicSystem());
    long maxHead = maxHead(javaSettings.getParserSettings());
    Layers layers = Layers.of(http, settings, tlsContext, headerTimeout, log);
    // one blueprint for every connection; what differs per connection comes as attributes
    Flow<ByteString, ByteString, CompletionStage<Done>> connection = Flow.fromGraph(new ScopedRequests())
        .via(handler)
        .join(layers.stack(maxHead, proxy != null))
        .watchTermination(Keep.right());
    return Tcp.get(system.classicSystem())
        .bind(host, port, settings.backlog(), javaSettings.getSocketOptions(), false, Optional.empty())
        .mapAsyncUnordered(settings.maxConnections(), incoming -> {
          InetSocketAddress remote = incoming.remoteAddress();
          Attributes scope = Attributes.apply(new ConnectionScope(ProxyProtocol.connection(proxy, remote)))
              .and(HttpAttributes$.MODULE$.remoteAddress(remote));
          return connection.addAttributes(scope).join(incoming.flow()).run(materializer)
              // a connection's failure (a reset, a TLS error) is its own; it must not end the bind
              .exceptionally(failure -> Done.getInstance());
        })
        .toMat(Sink.ignore(), Keep.left())
        .run(materializer)
        .thenApply(GuardedBind::binding);
  }

  /**
   * Pekko's server layer above, TLS (or none) and the idle timeout below, built once per bind as
   * Pekko's own bind does: they are blueprints, made anew at each materialization, and building
   * the server layer (Pekko's whole HTTP/1 pipeline) for each connection took over a third of
   * the CPU a new connection cost. The guard and the PROXY header reader are built once too: what
   * they keep of one connection comes from its {@link ConnectionScope}, and the client's address
   * reaches Pekko's stages as an attribute, as in Pekko's own bind.
   */
  private record Layers(BidiFlow<HttpResponse, TLSProtocol.SslTlsOutbound, TLSProtocol.SslTlsInbound, HttpRequest, NotUsed> server,
      BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> tls,
      BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> idle) {

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Layers of(HttpExt http, org.apache.pekko.http.scaladsl.settings.ServerSettings settings,
        org.apache.pekko.http.scaladsl.ConnectionContext context, Duration headerTimeout, LoggingAdapter log) {
      boolean https = context instanceof org.apache.pekko.http.scaladsl.HttpsConnectionContext;
      // Pekko's model classes implement the javadsl ones, which is all the handler sees of them
      BidiFlow<HttpResponse, TLSProtocol.SslTlsOutbound, TLSProtocol.SslTlsInbound, HttpRequest, NotUsed> server =
          (BidiFlow) http.serverLayer(settings, Option.empty(), log, https).asJava();
      BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> tls =
          https ? http.sslTlsServerStage(context).asJava() : Plaintext.layer();
      // a handshake that never ends is bounded below TLS, where no answer waits for it
      var deadline = https ? HandshakeDeadline.layer(headerTimeout, null) : null;
      return new Layers(server, deadline != null ? tls.atop(deadline) : tls,
          HttpConnectionIdleTimeoutBidi.apply(settings.timeouts().idleTimeout(), Option.empty()).asJava());
    }

    /**
     * Pekko's server layer, the raw framing guard, TLS (or none), the PROXY header reader when
     * {@code proxied}, and the idle timeout, top to bottom.
     */
    BidiFlow<HttpResponse, ByteString, ByteString, HttpRequest, NotUsed> stack(long maxHead, boolean proxied) {
      // null scopes: each stage reads the ConnectionScope of the connection it is materialized for
      var upper = server.atop(RawFramingGuard.layer(maxHead, null)).atop(tls);
      // the PROXY header comes before TLS; with proxy-protocol off there is no stage at all
      return (proxied ? upper.atop(ProxyProtocol.layer(null)) : upper).atop(idle);
    }
  }

  /**
   * The largest request head Pekko's parser could accept under its limits: the guard holds a head
   * back until it is complete, and a longer one is refused (431) rather than held without end.
   */
  static long maxHead(ParserSettings parser) {
    long line = parser.getMaxUriLength() + parser.getMaxMethodLength() + 16L;
    long field = parser.getMaxHeaderNameLength() + parser.getMaxHeaderValueLength() + 8L;
    return line + parser.getMaxHeaderCount() * field + 2;
  }

  private static ServerBinding binding(Tcp.ServerBinding tcp) {
    return new ServerBinding(new Http.ServerBinding(tcp.localAddress(),
        () -> FutureConverters.asScala(tcp.unbind()),
        deadline -> FutureConverters.asScala(tcp.unbind().thenApply(unbound -> Http.HttpServerTerminated$.MODULE$))));
  }
}
