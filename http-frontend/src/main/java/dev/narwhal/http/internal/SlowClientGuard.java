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

  private SlowClientGuard(Duration headerTimeout) {
    super("SlowClientGuard");
    this.headerTimeout = headerTimeout;
  }

  /** Wraps a per-connection handler; with a zero timeout, returns it unchanged. */
  static Flow<HttpRequest, HttpResponse, ?> around(Flow<HttpRequest, HttpResponse, ?> handler, Duration headerTimeout) {
    if (headerTimeout.isZero()) {
      return handler;
    }
    return new SlowClientGuard(headerTimeout).around(handler);
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
        failStage(new EntityStreamException(new ErrorInfo(ParsingErrors.HEADER_TIMEOUT, "")));
      }
    };
  }
}
