package dev.narwhal.http.internal;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. The PROXY protocol header on each connection, between TLS (or none) and TCP: the
 * received bytes are held until {@link ProxyHeader} has read the header, then what follows it, and
 * everything after, passes through; the bytes sent pass untouched.
 *
 * <p>The connection's {@link ProxyProtocol.Connection} comes from its {@link ConnectionScope}. A
 * refused header, or a peer not allowed to send one (not in proxy-allow-ips), ends the whole
 * stage: the TCP connection's write side completes, which closes it (the binds do not half-close),
 * and the layers above see their input end before any request, so nothing reaches the application
 * and nothing is answered.
 */
final class ProxyHeaderStage extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {
  private final Inlet<ByteString> fromAbove = Inlet.create("ProxyHeader.fromAbove");
  private final Outlet<ByteString> toNetwork = Outlet.create("ProxyHeader.toNetwork");
  private final Inlet<ByteString> fromNetwork = Inlet.create("ProxyHeader.fromNetwork");
  private final Outlet<ByteString> toAbove = Outlet.create("ProxyHeader.toAbove");
  private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
      BidiShape.of(fromAbove, toNetwork, fromNetwork, toAbove);
  /** null: the scope of the connection the stage is materialized for */
  private final ConnectionScope scope;

  ProxyHeaderStage(ConnectionScope scope) {
    this.scope = scope;
  }

  @Override
  public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    ProxyProtocol.Connection connection = ConnectionScope.of(scope, attributes).proxied();
    // null: the peer is not in proxy-allow-ips
    ProxyHeader header = connection.header();
    return new GraphStageLogic(shape) {
      private boolean read;

      @Override
      public void preStart() {
        if (header == null) {
          connection.refused("not in proxy-allow-ips");
          completeStage();
        }
      }

      {
        // the sending side: only its own end or cancel passes, never the whole stage's
        setHandler(fromAbove, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(toNetwork, grab(fromAbove));
          }

          @Override
          public void onUpstreamFinish() {
            complete(toNetwork);
          }
        });
        setHandler(toNetwork, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(fromAbove);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(fromAbove, cause);
          }
        });
        setHandler(fromNetwork, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString bytes = grab(fromNetwork);
            if (read) {
              push(toAbove, bytes);
              return;
            }
            switch (header.feed(bytes)) {
              case ProxyHeader.Incomplete more -> pull(fromNetwork);
              case ProxyHeader.Read done -> {
                read = true;
                connection.clientIs(done.client()); // before any byte after the header is passed on
                if (done.rest().isEmpty()) {
                  pull(fromNetwork);
                } else {
                  push(toAbove, done.rest());
                }
              }
              case ProxyHeader.Refused no -> {
                connection.refused(no.reason());
                completeStage();
              }
            }
          }

          @Override
          public void onUpstreamFinish() {
            if (read) {
              complete(toAbove);
            } else {
              completeStage(); // closed before its header ended: nothing for the layers above
            }
          }
        });
        setHandler(toAbove, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(fromNetwork);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(fromNetwork, cause);
          }
        });
      }
    };
  }
}
