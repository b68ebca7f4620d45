package dev.narwhal.http.internal;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * INTERNAL API. What the per-connection stages ({@link KeepAlive}, {@link SlowClientGuard},
 * {@link ConnectionDrain}) share:
 * a stage between Pekko's HTTP layer and the handler that lets requests and responses through
 * unchanged and tells its {@link Logic} as each passes, so the clock can start or stop. When the
 * client stops sending, answers still in flight go out before the connection closes.
 */
abstract class ConnectionClock extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {
  final Inlet<HttpRequest> requestsIn;
  final Outlet<HttpRequest> requestsOut;
  final Inlet<HttpResponse> responsesIn;
  final Outlet<HttpResponse> responsesOut;
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape;

  ConnectionClock(String name) {
    requestsIn = Inlet.create(name + ".requestsIn");
    requestsOut = Outlet.create(name + ".requestsOut");
    responsesIn = Inlet.create(name + ".responsesIn");
    responsesOut = Outlet.create(name + ".responsesOut");
    shape = BidiShape.of(requestsIn, requestsOut, responsesIn, responsesOut);
  }

  /** The per-connection {@code handler} with this clock in front of it. */
  Flow<HttpRequest, HttpResponse, NotUsed> around(Flow<HttpRequest, HttpResponse, ?> handler) {
    return BidiFlow.fromGraph(this).join(handler).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  /** The clock of one connection: override the hooks and {@code onTimer}. */
  abstract class Logic extends TimerGraphStageLogic {
    Logic() {
      super(shape);
      setHandler(requestsIn, new AbstractInHandler() {
        @Override
        public void onPush() {
          requestArrived();
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
          push(responsesOut, outgoing(grab(responsesIn)));
          responseSent();
        }
      });
      setHandler(responsesOut, new AbstractOutHandler() {
        @Override
        public void onPull() {
          pull(responsesIn);
        }
      });
    }

    /** A parsed request is about to go to the handler. */
    void requestArrived() {}

    /** A response is about to go towards the client: what goes instead (by default, itself). */
    HttpResponse outgoing(HttpResponse response) {
      return response;
    }

    /** A response has gone towards the client. */
    void responseSent() {}
  }
}
