package dev.narwhal.http.internal;

import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

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
final class KeepAlive extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  private static final String IDLE = "idle";

  private final Inlet<HttpRequest> requestsIn = Inlet.create("KeepAlive.requestsIn");
  private final Outlet<HttpRequest> requestsOut = Outlet.create("KeepAlive.requestsOut");
  private final Inlet<HttpResponse> responsesIn = Inlet.create("KeepAlive.responsesIn");
  private final Outlet<HttpResponse> responsesOut = Outlet.create("KeepAlive.responsesOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestsIn, requestsOut, responsesIn, responsesOut);
  private final Duration idle;

  private KeepAlive(Duration idle) {
    this.idle = idle;
  }

  /** Wraps a per-connection handler so the connection closes after {@code idle} without requests. */
  static <M> Flow<HttpRequest, HttpResponse, NotUsed> around(Flow<HttpRequest, HttpResponse, M> handler, Duration idle) {
    return BidiFlow.fromGraph(new KeepAlive(idle)).join(handler).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private int inFlight;

      {
        setHandler(requestsIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            cancelTimer(IDLE);
            inFlight++;
            push(requestsOut, grab(requestsIn));
          }

          @Override
          public void onUpstreamFinish() {
            complete(requestsOut); // the client is done sending; answers still in flight go out
          }
        });
        setHandler(requestsOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(requestsIn);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(requestsIn, cause);
          }
        });
        setHandler(responsesIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(responsesOut, grab(responsesIn));
            if (--inFlight == 0) {
              scheduleOnce(IDLE, idle);
            }
          }
        });
        setHandler(responsesOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(responsesIn);
          }
        });
      }

      @Override
      public void onTimer(Object key) {
        completeStage();
      }
    };
  }
}
