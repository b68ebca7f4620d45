package dev.narwhal.http.internal;

import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. {@code header-timeout} below TLS: a connection that has not had a request parsed
 * within the timeout and {@link #GRACE} is closed, without an answer.
 *
 * <p>The stages that answer a slow head with 408 ({@link SlowClientGuard}) sit above TLS, and an
 * answer there waits for a handshake. A client that never finishes one (a bare TCP connect, half a
 * ClientHello) got no 408 and held its connection until Pekko's idle-timeout, 60 s by default; on
 * an HTTP/2 bind, whose stages are made only once ALPN has chosen a protocol, so did a client that
 * finished the handshake and sent nothing. Enough of them hold every slot of max-connections.
 *
 * <p>The grace leaves the 408 to the stages above where the handshake is done: they close the
 * connection themselves once it is written. Bytes pass through unchanged, each direction closing on
 * its own as without this stage.
 */
final class HandshakeDeadline extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {
  /** Past header-timeout: time for the 408 of a connection whose handshake is done to go out first. */
  static final Duration GRACE = Duration.ofSeconds(2);
  private static final String DEADLINE = "deadline";

  private final Inlet<ByteString> fromAbove = Inlet.create("HandshakeDeadline.fromAbove");
  private final Outlet<ByteString> toNetwork = Outlet.create("HandshakeDeadline.toNetwork");
  private final Inlet<ByteString> fromNetwork = Inlet.create("HandshakeDeadline.fromNetwork");
  private final Outlet<ByteString> toAbove = Outlet.create("HandshakeDeadline.toAbove");
  private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
      BidiShape.of(fromAbove, toNetwork, fromNetwork, toAbove);
  private final Duration deadline;
  private final ConnectionScope fixed;

  private HandshakeDeadline(Duration headerTimeout, ConnectionScope fixed) {
    this.deadline = headerTimeout.plus(GRACE);
    this.fixed = fixed;
  }

  /**
   * The layer to put right below TLS, or {@code null} when header-timeout is off. {@code scope} as
   * for {@link ConnectionScope#of(ConnectionScope, Attributes)}: the connection's own, or null to
   * read it from the attributes of each materialization.
   */
  static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> layer(Duration headerTimeout,
      ConnectionScope scope) {
    return headerTimeout.isZero() ? null : BidiFlow.fromGraph(new HandshakeDeadline(headerTimeout, scope));
  }

  @Override
  public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    ConnectionScope scope = ConnectionScope.of(fixed, attributes);
    return new TimerGraphStageLogic(shape) {
      {
        passAlong(fromAbove, toNetwork);
        passAlong(fromNetwork, toAbove);
      }

      @Override
      public void preStart() {
        scheduleOnce(DEADLINE, deadline);
      }

      @Override
      public void onTimer(Object key) {
        if (!scope.served()) {
          completeStage(); // closes the socket; there is no session to say anything in
        }
      }

      private void passAlong(Inlet<ByteString> in, Outlet<ByteString> out) {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(out, grab(in));
          }

          @Override
          public void onUpstreamFinish() {
            complete(out);
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            cancel(in, cause);
          }
        });
      }
    };
  }
}
