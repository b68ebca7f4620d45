package dev.narwhal.http.internal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.net.InetSocketAddress;
import java.util.List;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.util.ByteString;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The application binds' proxy-protocol and proxy-allow-ips: per connection, a
 * {@link ProxyHeaderStage} below TLS (haproxy sends the header in clear before the handshake) that
 * reads the header, and the client it names put on each request the connection carries as Pekko's
 * remote address, which {@link RequestConverter} makes {@code Request.remoteAddress()} and
 * {@code clientAddress()}, and the access log {@code %(h)s}.
 *
 * <p>With proxy-protocol off there is no stage at all: {@link #connection} gives {@link #NONE},
 * whose requests pass untouched.
 */
final class ProxyProtocol {
  private final ProxyHeader.Mode mode;
  private final ForwardedHeaders allowed;
  private final ThrottledWarning closed = new ThrottledWarning(LoggerFactory.getLogger("narwhal"),
      "PROXY protocol: closed a connection from {}; further ones are logged at most once a minute",
      "PROXY protocol: closed {} connection(s) since the warning {} s ago (latest from {})");

  private ProxyProtocol(ProxyHeader.Mode mode, List<String> allowed) {
    this.mode = mode;
    this.allowed = ForwardedHeaders.trusting(allowed); // the same address and network matching
  }

  /** From the settings; null when proxy-protocol is off. */
  static ProxyProtocol from(ServerConfig config) {
    String setting = config.get(Settings.PROXY_PROTOCOL);
    return setting.equals("off") ? null
        : new ProxyProtocol(ProxyHeader.Mode.of(setting), config.get(Settings.PROXY_ALLOW_IPS));
  }

  /**
   * The stage, to go between TLS (or none) and the TCP connection. It reads the {@link Connection}
   * of {@code scope}, or with {@code scope} null (a stage built once per bind) of the
   * {@link ConnectionScope} of the connection it is materialized for.
   */
  static BidiFlow<ByteString, ByteString, ByteString, ByteString, NotUsed> layer(ConnectionScope scope) {
    return BidiFlow.fromGraph(new ProxyHeaderStage(scope));
  }

  /** One connection from {@code peer}: {@link #NONE} when {@code protocol} is null (off). */
  static Connection connection(ProxyProtocol protocol, InetSocketAddress peer) {
    return protocol == null ? NONE : new Connection(protocol, peer);
  }

  /** A connection without the PROXY protocol: no stage, requests untouched. */
  static final Connection NONE = new Connection(null, null);

  /** One connection's header, once read: the layer that reads it and what it makes of requests. */
  static final class Connection {
    private final ProxyProtocol protocol;
    private final InetSocketAddress peer;
    /** The header's client, set on the stream before the bytes after the header are passed on. */
    private volatile RemoteAddress client;

    private Connection(ProxyProtocol protocol, InetSocketAddress peer) {
      this.protocol = protocol;
      this.peer = peer;
    }

    /** A reader of this connection's header; null when the peer is not in proxy-allow-ips. */
    ProxyHeader header() {
      boolean trusted = peer != null && peer.getAddress() != null && protocol.allowed.trusts(peer.getAddress());
      return trusted ? new ProxyHeader(protocol.mode) : null;
    }

    /** The header named {@code address} as the client (null: keep the peer). */
    void clientIs(InetSocketAddress address) {
      client = address == null ? null : RemoteAddress.create(address);
    }

    /** The connection is being closed for {@code reason}. */
    void refused(String reason) {
      protocol.refused(peer, reason);
    }

    /** {@code request} as from the header's client, when the header named one. */
    HttpRequest apply(HttpRequest request) {
      RemoteAddress from = client;
      return from == null ? request : request.addAttribute(AttributeKeys.remoteAddress, from);
    }
  }

  /** Warns of a closed connection, at most once a minute ({@link ThrottledWarning}). */
  private void refused(InetSocketAddress peer, String reason) {
    String from = peer == null || peer.getAddress() == null ? "?" : peer.getAddress().getHostAddress();
    closed.warn(from + " (" + reason + ")");
  }
}
