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

  private KeepAlive(Duration idle) {
    super("KeepAlive");
    this.idle = idle;
  }

  /** Wraps a per-connection handler so the connection closes after {@code idle} without requests. */
  static <M> Flow<HttpRequest, HttpResponse, NotUsed> around(Flow<HttpRequest, HttpResponse, M> handler, Duration idle) {
    return new KeepAlive(idle).around(handler);
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new Logic() {
      private int inFlight;

      @Override
      void requestArrived() {
        cancelTimer(IDLE);
        inFlight++;
      }

      @Override
      void responseSent() {
        if (--inFlight == 0) {
          scheduleOnce(IDLE, idle);
        }
      }

      @Override
      public void onTimer(Object key) {
        completeStage();
      }
    };
  }
}
