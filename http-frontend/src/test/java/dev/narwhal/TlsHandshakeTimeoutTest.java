package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestCerts;
import dev.narwhal.testing.TestCerts.KeyKind;
import dev.narwhal.testing.TestServer;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * header-timeout on a TLS bind: a connection that has not delivered a request head within it is
 * closed, whether or not its client finished the handshake. Before, the 408 waited for a handshake
 * that never came, and such a connection was held until Pekko's idle-timeout (60 s): a client
 * could hold max-connections with sockets that send nothing.
 */
class TlsHandshakeTimeoutTest {
  /** Far below Pekko's idle-timeout, which is all that closed these connections before. */
  private static final Duration WITHIN = Duration.ofSeconds(15);
  private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);

  @TempDir
  Path dir;

  @Test
  void a_tls_connection_that_never_starts_the_handshake_is_closed_after_header_timeout() throws Exception {
    try (TestServer t = tls(c -> c);
        RawHttp connection = new RawHttp(t.server.port())) {
      await().atMost(WITHIN).until(connection::closedByServer);
    }
  }

  @Test
  void a_tls_connection_that_stops_in_the_middle_of_its_client_hello_is_closed_after_header_timeout() throws Exception {
    try (TestServer t = tls(c -> c);
        RawHttp connection = new RawHttp(t.server.port())) {
      // a handshake record header announcing 512 bytes, and then nothing more
      connection.socket.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01});
      connection.socket.getOutputStream().flush();
      await().atMost(WITHIN).until(connection::closedByServer);
    }
  }

  @Test
  void an_h2_tls_connection_that_never_starts_the_handshake_is_closed_after_header_timeout() throws Exception {
    try (TestServer t = tls(c -> c.with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1")));
        RawHttp connection = new RawHttp(t.server.port())) {
      await().atMost(WITHIN).until(connection::closedByServer);
    }
  }

  @Test
  void an_h2_tls_connection_that_finishes_the_handshake_and_sends_nothing_is_closed_after_header_timeout()
      throws Exception {
    try (TestServer t = tls(c -> c.with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1")));
        RawHttp connection = new RawHttp(handshaken(t, "h2"))) {
      await().atMost(WITHIN).until(connection::closedByServer);
    }
  }

  @Test
  void a_tls_connection_that_was_served_is_left_to_keepalive_past_header_timeout() throws Exception {
    try (TestServer t = tls(c -> c.with(Settings.KEEPALIVE, Duration.ofSeconds(30)));
        RawHttp connection = new RawHttp(handshaken(t, null))) {
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
      // well past header-timeout and any grace after it, well within keepalive
      await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    }
  }

  @Test
  void header_timeout_off_leaves_a_tls_connection_that_sends_nothing_open() throws Exception {
    try (TestServer t = tls(c -> c.with(Settings.HEADER_TIMEOUT, Duration.ZERO));
        RawHttp connection = new RawHttp(t.server.port())) {
      await().pollDelay(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(5)).until(() -> true);
      assertThat(connection.closedByServer()).isFalse();
    }
  }

  private TestServer tls(UnaryOperator<ServerConfig> more) throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_PKCS8);
    return TestServer.start(Application.of(r -> Response.ok("hi")), c -> more.apply(c
        .with(Settings.KEYFILE, Optional.of(pem[0])).with(Settings.CERTFILE, Optional.of(pem[1]))
        .with(Settings.HEADER_TIMEOUT, HEADER_TIMEOUT)));
  }

  /** A client socket past the handshake, offering {@code protocol} by ALPN unless it is null. */
  private Socket handshaken(TestServer t, String protocol) throws Exception {
    SSLSocket socket = (SSLSocket) TestCerts.trusting(dir.resolve("server.pem")).getSocketFactory()
        .createSocket("127.0.0.1", t.server.port());
    if (protocol != null) {
      SSLParameters alpn = socket.getSSLParameters();
      alpn.setApplicationProtocols(new String[] {protocol});
      socket.setSSLParameters(alpn);
    }
    socket.startHandshake();
    if (protocol != null) {
      assertThat(socket.getApplicationProtocol()).isEqualTo(protocol);
    }
    return socket;
  }
}
