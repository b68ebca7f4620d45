package dev.narwhal.http.internal;

import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;

/**
 * INTERNAL API. Above Pekko's server layer: each request parsed on a connection, completed with
 * what that connection's {@link ConnectionScope} knows of it. A stage rather than a {@code map}
 * because a {@code map}'s function is fixed in the blueprint, while the scope is per materialization.
 */
final class ScopedRequests extends GraphStage<FlowShape<HttpRequest, HttpRequest>> {
  private final Inlet<HttpRequest> in = Inlet.create("ScopedRequests.in");
  private final Outlet<HttpRequest> out = Outlet.create("ScopedRequests.out");
  private final FlowShape<HttpRequest, HttpRequest> shape = FlowShape.of(in, out);

  @Override
  public FlowShape<HttpRequest, HttpRequest> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    ConnectionScope scope = ConnectionScope.of(attributes);
    return new GraphStageLogic(shape) {
      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(out, scope.apply(grab(in)));
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }
        });
      }
    };
  }
}
