package dev.narwhal.http.internal;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. {@link RequestFraming} on one connection, between TLS (or none) and Pekko HTTP's
 * parser: the received bytes pass through unchanged while they frame requests strictly. At the
 * first violation the parser gets the bytes before the bad message (so requests before it are
 * still answered, in order), then a {@link FramingViolation#sentinel sentinel} request line it
 * refuses, which {@link ParsingErrors} answers with the violation's status and {@code Connection:
 * close}; nothing the client sends after that reaches the parser.
 */
final class RawFramingGuard extends GraphStage<FlowShape<TLSProtocol.SslTlsInbound, TLSProtocol.SslTlsInbound>> {
  /**
   * What follows the good bytes of a chunked body whose framing broke: Pekko's parser refuses it
   * wherever in the body it stands (not a hex digit for a chunk size, no CRLF after chunk data, a
   * chunk extension past its 256 bytes, a trailer field name past its 256, a CR in a trailer
   * line), so the request never completes, never reaches the app, and the client gets a 400. It
   * holds no CR, LF or colon: nothing in it can end a line or the trailer section.
   */
  private static final ByteString BROKEN_BODY = ByteString.fromString("x".repeat(1024));
  /** Ends a trailer value cut short at its bad byte, so that BROKEN_BODY stands where a field name is due. */
  private static final ByteString CRLF = ByteString.fromString("\r\n");

  private final Inlet<TLSProtocol.SslTlsInbound> in = Inlet.create("RawFramingGuard.in");
  private final Outlet<TLSProtocol.SslTlsInbound> out = Outlet.create("RawFramingGuard.out");
  private final FlowShape<TLSProtocol.SslTlsInbound, TLSProtocol.SslTlsInbound> shape = FlowShape.of(in, out);
  private final long maxHead;
  /** null: the scope of the connection the guard is materialized for */
  private final ConnectionScope scope;

  private RawFramingGuard(long maxHead, ConnectionScope scope) {
    this.maxHead = maxHead;
    this.scope = scope;
  }

  /**
   * The guard as the layer between TLS and HTTP: requests are checked, responses pass untouched.
   * The connection's {@link ConnectionScope} hears, per head passed on, whether it said
   * {@code Content-Length: 0} and its Content-Type as sent: {@code scope}, or with {@code scope}
   * null (a guard built once per bind) the scope of the connection it is materialized for.
   */
  static BidiFlow<TLSProtocol.SslTlsOutbound, TLSProtocol.SslTlsOutbound, TLSProtocol.SslTlsInbound,
      TLSProtocol.SslTlsInbound, NotUsed> layer(long maxHead, ConnectionScope scope) {
    return BidiFlow.fromFlows(Flow.<TLSProtocol.SslTlsOutbound>create(), Flow.fromGraph(new RawFramingGuard(maxHead, scope)));
  }

  @Override
  public FlowShape<TLSProtocol.SslTlsInbound, TLSProtocol.SslTlsInbound> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    ConnectionScope connection = ConnectionScope.of(scope, attributes);
    return new GraphStageLogic(shape) {
      private final HeadBudget.Account budget = HeadBudget.PROCESS.account();
      private final RequestFraming framing = new RequestFraming(maxHead, connection::headPassed, budget);
      private javax.net.ssl.SSLSession session;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            TLSProtocol.SslTlsInbound element = grab(in);
            if (!(element instanceof TLSProtocol.SessionBytes received)) {
              push(out, element); // SessionTruncated: the parser reports the cut itself
              return;
            }
            session = received.session();
            boolean rejectedBefore = framing.violation() != null;
            ByteString pass = framing.feed(received.bytes());
            if (!rejectedBefore && framing.violation() != null) {
              // inside a chunked body the parser would read a sentinel request-line as more of that
              // body: it gets bytes no chunk line, extension or trailer may hold instead, so the
              // body never completes
              if (framing.violatedInTrailerValue()) {
                pass = pass.concat(CRLF).concat(BROKEN_BODY); // Pekko answers 400; what follows is swallowed
              } else if (framing.violatedInsideBody()) {
                pass = pass.concat(BROKEN_BODY); // Pekko answers 400; what follows is swallowed
              } else {
                pass = pass.concat(framing.violation().sentinel());
              }
              push(out, new TLSProtocol.SessionBytes(session, pass));
              return;
            }
            if (pass.isEmpty()) {
              pull(in); // a head still incomplete, or bytes after a rejection: nothing for the parser yet
            } else {
              push(out, pass == received.bytes() ? received : new TLSProtocol.SessionBytes(session, pass));
            }
          }

          @Override
          public void onUpstreamFinish() {
            ByteString rest = framing.finish();
            if (!rest.isEmpty()) {
              emit(out, new TLSProtocol.SessionBytes(session, rest)); // Pekko reports the cut-off head
            }
            complete(out); // after the emit, if one is pending
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
          }
        });
      }

      @Override
      public void postStop() {
        budget.release(); // a connection gone mid-head gives its share back
      }
    };
  }
}
