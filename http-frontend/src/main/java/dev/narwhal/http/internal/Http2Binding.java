package dev.narwhal.http.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.impl.engine.HttpConnectionIdleTimeoutBidi$;
import org.apache.pekko.http.impl.engine.http2.Http2$;
import org.apache.pekko.http.impl.engine.http2.Http2Blueprint$;
import org.apache.pekko.http.impl.engine.http2.NoOpTelemetry$;
import org.apache.pekko.http.impl.engine.server.MasterServerTerminator;
import org.apache.pekko.http.impl.engine.server.ServerTerminator;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.HttpExt;
import org.apache.pekko.http.scaladsl.HttpsConnectionContext;
import org.apache.pekko.http.impl.engine.server.HttpAttributes$;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import scala.Option;
import scala.concurrent.ExecutionContext;
import scala.concurrent.Future;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.FutureConverters;
import scala.jdk.javaapi.CollectionConverters;

/**
 * INTERNAL API. A bind that serves HTTP/2 and HTTP/1.1 side by side, with Narwhal's per-connection
 * stages on both.
 *
 * <p>Pekko HTTP's own HTTP/2 bind ({@code ServerBuilder.bind(handler)}) takes only a function per
 * request, so no stage sees a connection: an HTTP/1.1 connection on it had neither header-timeout
 * nor keepalive, and an HTTP/2 connection could sit idle until Pekko's idle-timeout (which the
 * client's own PINGs restart). This is Pekko's binding ({@code Http2Ext.bindAndHandleAsync}, 1.3.0)
 * with the handler flow of each connection built by Narwhal: {@code http1} for HTTP/1.1 (run in
 * order, as pipelining needs) and {@code http2} for HTTP/2 (streams in parallel, up to
 * {@code max-concurrent-streams}, which Pekko also advertises and enforces with REFUSED_STREAM).
 * It uses Pekko's internal API, so an upgrade of Pekko HTTP must be checked against this class
 * (Http2GuardsTest fails when a stage no longer holds).
 *
 * <p>HTTP/1.1 connections get {@link RawFramingGuard} below Pekko's parser, as on plain binds, and
 * with proxy-protocol on both protocols get {@link ProxyProtocol}'s stage below TLS and its client
 * on their requests.
 *
 * <p>HTTP/1.1's {@code Upgrade: h2c} is not offered: RFC 9113 (section 3.1) deprecates it, and
 * such a connection would have left the HTTP/1.1 stages behind. Cleartext HTTP/2 is prior knowledge.
 */
final class Http2Binding {
  /**
   * A failing stage of the HTTP/2 stack logs nothing itself. Hazard: Pekko's stream interpreter
   * logs every stage failure at ERROR with its stack trace, and a request header HTTP/2 forbids
   * ({@code connection}, {@code te: gzip}, an unparsable {@code content-type}) fails a stage, so
   * any client could write 35 lines to the error log per connection. What the failure means is
   * logged below the stages, as Pekko's stack means it to be: a protocol error at debug (the GOAWAY
   * tells the client), anything else through the bind's log ({@link ParsingErrors.BindingLog}).
   */
  private static final Attributes QUIET_STAGES =
      Attributes.createLogLevels(Attributes.logLevelDebug(), Attributes.logLevelDebug(), Attributes.logLevelOff());

  /** What an HTTP/1.1 connection here gives Pekko's terminator: nothing to do, see {@link ConnectionFlows#http1}. */
  private static final ServerTerminator DRAINED_ELSEWHERE = (deadline, ec) ->
      scala.concurrent.Future.successful(org.apache.pekko.http.scaladsl.Http.HttpServerTerminated$.MODULE$);

  /** How long streams still open at an idle or header-timeout GOAWAY may finish: none should be. */
  private static final FiniteDuration GO_AWAY_GRACE = FiniteDuration.create(1, java.util.concurrent.TimeUnit.SECONDS);

  private Http2Binding() {}

  /** What each connection runs between Pekko's HTTP layer and the handler: a fresh flow per connection. */
  interface ConnectionFlows {
    /** An HTTP/1.1 connection's flow, which closes its connection at a stop itself ({@link ConnectionDrain}). */
    Flow<HttpRequest, HttpResponse, ?> http1();

    /**
     * The connection's HTTP/2 flow: {@code streams} makes the stream handler (which answers streams
     * in parallel) from a request function of the connection's own, to be wrapped in its stages;
     * {@code goAway} closes the connection as HTTP/2 asks, GOAWAY first, once its streams are done.
     */
    Flow<HttpRequest, HttpResponse, ?> http2(
        Function<Function<HttpRequest, CompletionStage<HttpResponse>>, Flow<HttpRequest, HttpResponse, ?>> streams,
        Runnable goAway);
  }

  static CompletionStage<ServerBinding> bind(org.apache.pekko.actor.ActorSystem system, String host, int port,
      ServerSettings settings, Optional<HttpsConnectionContext> https, Duration headerTimeout, LoggingAdapter log,
      ProxyProtocol proxy, ConnectionFlows flows) {
    HttpExt http = (HttpExt) org.apache.pekko.http.scaladsl.Http$.MODULE$.get(system);
    ExecutionContext dispatcher = system.dispatcher();
    MasterServerTerminator terminators = new MasterServerTerminator(log);
    long maxHead = GuardedBind.maxHead(settings.parserSettings());
    Function<ConnectionScope, Flow<ByteString, ByteString, CompletionStage<ServerTerminator>>> connection = scope -> {
      // Pekko's layers speak its scaladsl model, whose classes the javadsl ones are the interfaces of
      // the raw framing guard sits below the parser here too, as on GuardedBind's binds
      // no terminator of Pekko's: at a stop it aborts an idle connection (a TCP reset); the flows'
      // own ConnectionDrain closes these as the plain binds' are closed
      BidiFlow<HttpResponse, SslTlsOutbound, SslTlsInbound, HttpRequest, ServerTerminator> http1Layer =
          BidiFlow.<HttpResponse, SslTlsOutbound, SslTlsInbound, HttpRequest, Object>fromGraph(cast(
              http.serverLayer(settings, Option.empty(), log, https.isPresent())))
              .mapMaterializedValue(unused -> DRAINED_ELSEWHERE)
              .atop(RawFramingGuard.layer(maxHead, scope));
      Flow<SslTlsInbound, SslTlsOutbound, ServerTerminator> http1 = Flow.of(HttpRequest.class)
          .map(scope::apply)
          .via(flows.http1())
          .joinMat(http1Layer, Keep.right());
      Function<Function<HttpRequest, CompletionStage<HttpResponse>>, Flow<HttpRequest, HttpResponse, ?>> streams =
          handler -> cast(Http2Blueprint$.MODULE$.handleWithStreamIdHeader(
              settings.http2Settings().maxConcurrentStreams(),
              request -> FutureConverters.asScala(handler.apply(scope.applyHttp2(request)))
                  .map(r -> (org.apache.pekko.http.scaladsl.model.HttpResponse) r, dispatcher), dispatcher).asJava());
      BidiFlow<HttpResponse, SslTlsOutbound, SslTlsInbound, HttpRequest, ServerTerminator> http2Layer =
          BidiFlow.<HttpResponse, SslTlsOutbound, SslTlsInbound, HttpRequest, ServerTerminator>fromGraph(cast(
              Http2Blueprint$.MODULE$.serverStackTls(settings, log, NoOpTelemetry$.MODULE$, http.dateHeaderRendering())))
              .addAttributes(QUIET_STAGES);
      // the stage that sends GOAWAY is Pekko's, known once this connection's layer is materialized
      AtomicReference<ServerTerminator> layerOfThisConnection = new AtomicReference<>();
      Runnable goAway = () -> {
        ServerTerminator layer = layerOfThisConnection.get();
        if (layer != null) {
          layer.terminate(GO_AWAY_GRACE, dispatcher);
        }
      };
      Flow<SslTlsInbound, SslTlsOutbound, ServerTerminator> http2 = flows.http2(streams, goAway)
          .joinMat(http2Layer, Keep.right())
          .mapMaterializedValue(layer -> {
            layerOfThisConnection.set(layer);
            return layer;
          });
      org.apache.pekko.stream.scaladsl.Flow<ByteString, ByteString, Future<ServerTerminator>> switching = https.isPresent()
          ? Http2$.MODULE$.get(system).httpsWithAlpn(https.get(), cast(http1.asScala()), cast(http2.asScala()))
          : Http2$.MODULE$.priorKnowledge(cast(http1.asScala()), cast(http2.asScala()));
      return switching.asJava().mapMaterializedValue(FutureConverters::asJava);
    };
    scala.concurrent.duration.Duration idle = settings.timeouts().idleTimeout();
    return Tcp.get(system)
        .bind(host, port, settings.backlog(), CollectionConverters.asJava(settings.socketOptions()), false,
            Optional.<Duration>empty()) // Pekko's own idle-timeout comes below, as in its bind
        .mapAsyncUnordered(settings.maxConnections(), incoming -> {
          var attributes = HttpAttributes$.MODULE$.remoteAddress(incoming.remoteAddress());
          var idleBidi = HttpConnectionIdleTimeoutBidi$.MODULE$.apply(idle, Option.apply(incoming.remoteAddress()));
          ConnectionScope scope = new ConnectionScope(ProxyProtocol.connection(proxy, incoming.remoteAddress()));
          BidiFlow<ByteString, ByteString, ByteString, ByteString, ?> below = proxy != null
              ? BidiFlow.fromGraph(idleBidi).atop(ProxyProtocol.layer(scope)) // the PROXY header comes before TLS
              : BidiFlow.fromGraph(idleBidi);
          // ALPN makes the stages above only once a handshake is done: one that never ends is bounded here
          var deadline = https.isPresent() ? HandshakeDeadline.layer(headerTimeout, scope) : null;
          if (deadline != null) {
            below = deadline.atop(below);
          }
          // as Pekko's bind: the peer's address for the requests, idle-timeout on the bytes
          return connection.apply(scope)
              .addAttributes(attributes)
              .watchTermination((terminator, done) -> {
                terminator.thenAccept(t -> {
                  terminators.registerConnection(t, dispatcher);
                  done.whenComplete((d, e) -> terminators.removeConnection(t));
                });
                return done;
              })
              .join(below.join(incoming.flow()))
              .addAttributes(org.apache.pekko.http.scaladsl.Http$.MODULE$
                  .cancellationStrategyAttributeForDelay(settings.streamCancellationDelay()))
              .run(system)
              .exceptionally(closedWithError -> org.apache.pekko.Done.getInstance()); // one connection's end, not the bind's
        })
        .to(Sink.ignore())
        .run(system)
        .thenApply(tcp -> new ServerBinding(new org.apache.pekko.http.scaladsl.Http.ServerBinding(tcp.localAddress(),
            () -> FutureConverters.asScala(tcp.unbind().thenApply(done -> scala.runtime.BoxedUnit.UNIT)),
            (FiniteDuration deadline) -> terminators.terminate(deadline, dispatcher))));
  }

  @SuppressWarnings("unchecked")
  private static <T> T cast(Object pekkos) {
    return (T) pekkos;
  }
}
