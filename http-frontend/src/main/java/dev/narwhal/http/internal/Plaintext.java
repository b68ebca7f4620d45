package dev.narwhal.http.internal;

import java.security.Principal;
import java.security.cert.Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.TLSProtocol;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;

/**
 * INTERNAL API. The layer a plain HTTP/1 connection has where an HTTPS one has TLS: bytes pass
 * through, each inbound chunk tagged with a session that says "no TLS", as Pekko's server layer
 * expects.
 *
 * <p>Pekko's own placebo ({@code TLSPlacebo}) tags them with a session from an engine of the JVM's
 * default SSLContext, which it makes when the placebo is first used: the security providers and
 * the cacerts trust store, about 150 ms of CPU on the start-up path of every plain server, for an
 * object that only says what this one says. The session here has the same values (protocol
 * {@code NONE}, cipher suite {@code SSL_NULL_WITH_NULL_NULL}, no peer), so a handler that asks
 * (Pekko's {@code ssl-session-attribute}) sees what it saw before.
 */
final class Plaintext {
  private static final BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound,
      NotUsed> LAYER = BidiFlow.fromFlows(
          Flow.of(TLSProtocol.SslTlsOutbound.class)
              .collectType(TLSProtocol.SendBytes.class)
              .map(TLSProtocol.SendBytes::bytes),
          Flow.of(ByteString.class)
              .map(bytes -> (TLSProtocol.SslTlsInbound) new TLSProtocol.SessionBytes(NoSession.INSTANCE, bytes)));

  private Plaintext() {}

  /** The layer, a blueprint to materialize once per connection. */
  static BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> layer() {
    return LAYER;
  }

  /** A connection without TLS, described as the JDK describes a session that never negotiated. */
  static final class NoSession implements SSLSession {
    static final NoSession INSTANCE = new NoSession();
    private static final String[] NO_NAMES = new String[0];

    private NoSession() {}

    @Override
    public byte[] getId() {
      return new byte[0];
    }

    @Override
    public SSLSessionContext getSessionContext() {
      return null;
    }

    @Override
    public long getCreationTime() {
      return 0;
    }

    @Override
    public long getLastAccessedTime() {
      return 0;
    }

    @Override
    public void invalidate() {}

    @Override
    public boolean isValid() {
      return false;
    }

    @Override
    public void putValue(String name, Object value) {}

    @Override
    public Object getValue(String name) {
      return null;
    }

    @Override
    public void removeValue(String name) {}

    @Override
    public String[] getValueNames() {
      return NO_NAMES.clone();
    }

    @Override
    public Certificate[] getPeerCertificates() throws SSLPeerUnverifiedException {
      throw new SSLPeerUnverifiedException("peer not authenticated");
    }

    @Override
    public Certificate[] getLocalCertificates() {
      return null;
    }

    @Override
    public Principal getPeerPrincipal() throws SSLPeerUnverifiedException {
      throw new SSLPeerUnverifiedException("peer not authenticated");
    }

    @Override
    public Principal getLocalPrincipal() {
      return null;
    }

    @Override
    public String getCipherSuite() {
      return "SSL_NULL_WITH_NULL_NULL";
    }

    @Override
    public String getProtocol() {
      return "NONE";
    }

    @Override
    public String getPeerHost() {
      return null;
    }

    @Override
    public int getPeerPort() {
      return -1;
    }

    @Override
    public int getPacketBufferSize() {
      return 16_709; // as the JDK's null session
    }

    @Override
    public int getApplicationBufferSize() {
      return 16_704;
    }

    @Override
    public String toString() {
      return "no TLS";
    }
  }
}
