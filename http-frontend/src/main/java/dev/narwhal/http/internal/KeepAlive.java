package dev.narwhal.http.internal;

import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * INTERNAL API. Gunicorn's {@code keepalive} for one connection: once every request on it has been
 * answered, the connection may stay idle this long before the server closes it.
 *
 * <p>Why not Pekko's {@code idle-timeout}: it counts silence in both directions, so a handler
 * that takes longer than it would have its connection reset before answering. This stage sits
 * between the HTTP layer and the handler, counts requests in flight, and runs its clock only
 * while there are none. Completing the stage completes the response stream, which makes Pekko
 * close the connection after the last response is written.
 */
final class KeepAlive extends ConnectionClock {
  private static final String IDLE = "idle";

  private final Duration idle;
  /** How an HTTP/2 connection is closed (with a GOAWAY); null: by completing the stage. */
  private final Runnable goAway;

  private KeepAlive(Duration idle, Runnable goAway) {
    super("KeepAlive");
    this.idle = idle;
    this.goAway = goAway;
  }

  /** Wraps a per-connection handler so the connection closes after {@code idle} without requests. */
  static <M> Flow<HttpRequest, HttpResponse, NotUsed> around(Flow<HttpRequest, HttpResponse, M> handler, Duration idle) {
    return new KeepAlive(idle, null).around(handler);
  }

  /**
   * As {@link #around(Flow, Duration)} for an HTTP/2 connection, closed by {@code goAway}: RFC 9113
   * (section 6.8) has a server send GOAWAY before it closes, and a proxy that keeps upstream
   * HTTP/2 connections relies on it not to send a new stream into the close; completing the stage
   * closed the socket bare.
   */
  static <M> Flow<HttpRequest, HttpResponse, NotUsed> aroundHttp2(Flow<HttpRequest, HttpResponse, M> handler,
      Duration idle, Runnable goAway) {
    return new KeepAlive(idle, goAway).around(handler);
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    // One timer per idle period at most, never one per request: a timer cancelled by the next
    // request stays in Pekko's scheduler until it would have fired, so at tens of thousands of
    // requests a second the cancelled ones (tens of thousands, alive for `idle`) were copied by
    // every young collection, which made those pauses several times longer.
    return new Logic() {
      private int inFlight;
      /** System.nanoTime() when the connection last fell idle; meaningful while inFlight is 0. */
      private long idleSince;

      @Override
      void requestArrived() {
        inFlight++; // a timer still pending finds the connection busy and lets it be
      }

      @Override
      void responseSent() {
        if (--inFlight == 0) {
          idleSince = System.nanoTime();
          if (!isTimerActive(IDLE)) {
            scheduleOnce(IDLE, idle);
          }
        }
      }

      @Override
      public void onTimer(Object key) {
        if (inFlight > 0) {
          return; // busy: the answer that makes it idle again starts the next timer
        }
        long left = idle.toNanos() - (System.nanoTime() - idleSince);
        if (left <= 0 && goAway != null) {
          goAway.run(); // Pekko's HTTP/2 stage closes once the GOAWAY is out
        } else if (left <= 0) {
          completeStage();
        } else {
          scheduleOnce(IDLE, Duration.ofNanos(left)); // idle since a later answer: wait out the rest
        }
      }
    };
  }
}
