package dev.narwhal.http.internal;

import java.time.Duration;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.EntityStreamException;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * INTERNAL API. {@code header-timeout} for one connection: its first request head (request line
 * and headers) must be complete within the timeout, or the connection is answered {@code 408} and
 * closed. Without it, a client that trickles a request in a byte at a time (slowloris) keeps a
 * connection open for as long as it likes, since Pekko's idle-timeout restarts with every byte.
 *
 * <p>The stage sits between Pekko's HTTP layer and the handler, where requests appear only once
 * their head is parsed: the clock starts when the connection is accepted and stops at the first
 * request. Later requests on the same connection are {@link KeepAlive}'s: its clock runs between
 * requests, so a next head that never completes closes the connection after {@code keepalive}.
 * Pekko's layer pairs every response with a parsed request, so the guard cannot simply emit a 408;
 * it fails the response stream with an {@link EntityStreamException} that {@link ParsingErrors}
 * turns into the 408, which Pekko writes with {@code Connection: close}.
 */
final class SlowClientGuard extends ConnectionClock {
  private static final String HEAD = "head";

  private final Duration headerTimeout;
  /** How an HTTP/2 connection is closed (with a GOAWAY); null on HTTP/1. */
  private final Runnable goAway;

  private SlowClientGuard(Duration headerTimeout, Runnable goAway) {
    super("SlowClientGuard");
    this.headerTimeout = headerTimeout;
    this.goAway = goAway;
  }

  /** Wraps an HTTP/1 connection's handler; with a zero timeout, returns it unchanged. */
  static Flow<HttpRequest, HttpResponse, ?> around(Flow<HttpRequest, HttpResponse, ?> handler, Duration headerTimeout) {
    return headerTimeout.isZero() ? handler : new SlowClientGuard(headerTimeout, null).around(handler);
  }

  /**
   * Wraps an HTTP/2 connection's handler: one that opens no stream within the timeout (a preface
   * and nothing more, or a request's HEADERS whose CONTINUATION never ends) is closed with a
   * GOAWAY. HTTP/2 has no request to pair a 408 with, and failing the stage would log an error
   * and send INTERNAL_ERROR for what is the client's doing.
   */
  static Flow<HttpRequest, HttpResponse, ?> aroundHttp2(Flow<HttpRequest, HttpResponse, ?> handler, Duration headerTimeout,
      Runnable goAway) {
    return headerTimeout.isZero() ? handler : new SlowClientGuard(headerTimeout, goAway).around(handler);
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic() {
      @Override
      public void preStart() {
        scheduleOnce(HEAD, headerTimeout);
      }

      @Override
      void requestArrived() {
        cancelTimer(HEAD);
      }

      @Override
      public void onTimer(Object key) {
        if (goAway != null) {
          goAway.run();
          return;
        }
        failStage(new EntityStreamException(new ErrorInfo(ParsingErrors.HEADER_TIMEOUT, "")));
      }
    };
  }
}
