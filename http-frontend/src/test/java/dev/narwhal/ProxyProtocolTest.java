package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import dev.narwhal.testing.ProxyBytes;
import dev.narwhal.testing.TestCerts.KeyKind;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestCerts;
import dev.narwhal.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * proxy-protocol against a running server over raw sockets: the header's client is what the
 * application and the access log see, and a bad header or an untrusted peer gets its connection
 * closed with no answer, never reaching the application.
 */
class ProxyProtocolTest {
  private static final String GET = "GET /who HTTP/1.1\r\nHost: x\r\n\r\n";
  private final Queue<String> seen = new ConcurrentLinkedQueue<>();
  /** remote address | client address | scheme, as the application saw them. */
  private final Application who = Application.of(r -> {
    seen.add(r.path());
    return Response.ok(address(r.remoteAddress().orElseThrow()) + " | " + address(r.clientAddress().orElseThrow())
        + " | " + r.scheme());
  });

  @TempDir
  Path dir;

  static String address(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  private TestServer start(String mode, UnaryOperator<ServerConfig> more) throws Exception {
    return TestServer.start(who, c -> more.apply(c.with(Settings.PROXY_PROTOCOL, mode)));
  }

  @Test
  void a_v1_header_names_the_client_for_every_request_on_the_connection_and_in_the_access_log() throws Exception {
    try (LogCapture access = new LogCapture(Loggers.ACCESS, Level.INFO);
        TestServer t = start("v1", c -> c.with(Settings.ACCESSLOG, "-").with(Settings.ACCESS_LOG_FORMAT, "%(h)s %(U)s %(s)s"));
        RawHttp connection = new RawHttp(t.server.port())) {
      connection.write("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8000\r\n");
      assertThat(connection.send(GET).body()).isEqualTo("203.0.113.9:51234 | 203.0.113.9:51234 | http");
      assertThat(connection.send(GET).body()).as("keep-alive").isEqualTo("203.0.113.9:51234 | 203.0.113.9:51234 | http");
      await().until(() -> access.text().contains("203.0.113.9 /who 200"));
    }
  }

  @Test
  void connections_side_by_side_each_keep_the_client_their_own_header_named() throws Exception {
    // every connection of a bind runs the same blueprint: what one connection learned must stay its own
    try (TestServer t = start("v1", c -> c);
        RawHttp first = new RawHttp(t.server.port());
        RawHttp second = new RawHttp(t.server.port());
        RawHttp third = new RawHttp(t.server.port())) {
      first.write("PROXY TCP4 203.0.113.1 192.0.2.1 1111 8000\r\n");
      second.write("PROXY TCP4 203.0.113.2 192.0.2.1 2222 8000\r\n");
      third.write("PROXY UNKNOWN\r\n");
      for (int round = 0; round < 3; round++) {
        assertThat(second.send(GET).body()).startsWith("203.0.113.2:2222 | ");
        assertThat(third.send(GET).body()).startsWith("127.0.0.1:" + third.socket.getLocalPort() + " | ");
        assertThat(first.send(GET).body()).startsWith("203.0.113.1:1111 | ");
      }
    }
  }

  @Test
  void a_v2_header_names_the_client_and_a_local_one_keeps_the_peer() throws Exception {
    try (TestServer t = start("v2", c -> c)) {
      byte[] ipv6 = java.net.InetAddress.getByName("2001:db8::7").getAddress();
      byte[] header = ProxyBytes.v2(0x21, 0x21, ProxyBytes.inet(ipv6, new byte[16], 40000, 8000));
      try (RawHttp connection = new RawHttp(t.server.port())) {
        connection.socket.getOutputStream().write(header);
        assertThat(connection.send(GET).body()).startsWith("2001:db8:0:0:0:0:0:7:40000 | 2001:db8:0:0:0:0:0:7:40000");
      }
      try (RawHttp connection = new RawHttp(t.server.port())) {
        connection.socket.getOutputStream().write(ProxyBytes.v2(0x20, 0x00, new byte[0]));
        assertThat(connection.send(GET).body()).startsWith("127.0.0.1:" + connection.socket.getLocalPort() + " | ");
      }
    }
  }

  @Test
  void the_header_client_is_not_a_trusted_proxy_so_its_x_forwarded_for_is_ignored() throws Exception {
    try (TestServer t = start("auto", c -> c); RawHttp connection = new RawHttp(t.server.port())) {
      connection.write("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8000\r\n");
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.6.6.6\r\nX-Forwarded-Proto: https\r\n\r\n")
          .body()).isEqualTo("203.0.113.9:51234 | 203.0.113.9:51234 | http");
    }
  }

  @Test
  void auto_takes_plain_http_from_an_allowed_proxy() throws Exception {
    try (TestServer t = start("auto", c -> c); RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send(GET).body()).startsWith("127.0.0.1:" + connection.socket.getLocalPort() + " | ");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "PROXY TCP4 203.0.113.999 192.0.2.1 51234 8000\r\n",
      "PROXY TCP4 203.0.113.9 192.0.2.1 51234\r\n",
      "PROXY TCP4 203.0.113.9 192.0.2.1 51234 8000\n",
      "PROXY UNKNOWN xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n",
      "", // v1 mode: no header at all
      "\r\n\r\n\u0000\r\nQUIT\n\u0021\u0011\u0000\u0004abcd"}) // v2 in v1 mode
  void a_malformed_or_missing_header_closes_the_connection_unanswered_and_is_warned_of(String header) throws Exception {
    try (LogCapture log = new LogCapture("narwhal"); LogCapture access = new LogCapture(Loggers.ACCESS, Level.INFO);
        TestServer t = start("v1", c -> c.with(Settings.ACCESSLOG, "-"))) {
      assertClosedUnanswered(t, header.getBytes(StandardCharsets.ISO_8859_1));
      await().until(() -> log.text().contains("PROXY protocol: closed a connection from 127.0.0.1"));
      assertThat(seen).isEmpty();
      assertThat(access.text()).isEmpty();
    }
  }

  @Test
  void a_v2_header_with_a_bad_signature_or_length_closes_the_connection() throws Exception {
    try (TestServer t = start("v2", c -> c)) {
      byte[] badSignature = ProxyBytes.v2(0x21, 0x11, ProxyBytes.inet(new byte[4], new byte[4], 1, 2));
      badSignature[5] = 0x0C;
      assertClosedUnanswered(t, badSignature);
      assertClosedUnanswered(t, ProxyBytes.v2(0x21, 0x11, new byte[8])); // too short for two IPv4 addresses
      assertThat(seen).isEmpty();
    }
  }

  @Test
  void a_peer_outside_proxy_allow_ips_is_closed_before_it_can_send_anything() throws Exception {
    try (LogCapture log = new LogCapture("narwhal");
        TestServer t = start("auto", c -> c.with(Settings.PROXY_ALLOW_IPS, List.of("10.0.0.0/8")))) {
      try (Socket socket = new Socket("127.0.0.1", t.server.port())) {
        socket.setSoTimeout(10_000);
        assertThat(readAll(socket.getInputStream())).as("closed without a byte sent").isEmpty();
      }
      assertClosedUnanswered(t, ("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8000\r\n" + GET).getBytes(StandardCharsets.US_ASCII));
      await().until(() -> log.text().contains("127.0.0.1 (not in proxy-allow-ips)"));
      assertThat(seen).isEmpty();
    }
  }

  @Test
  void with_proxy_protocol_off_a_header_is_no_request() throws Exception {
    try (TestServer t = TestServer.start(who, c -> c); RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send("PROXY TCP4 203.0.113.9 192.0.2.1 51234 8000\r\n" + GET).status()).isEqualTo(400);
      assertThat(seen).isEmpty();
    }
  }

  @Test
  void on_a_tls_bind_the_header_comes_in_clear_before_the_handshake() throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_PKCS8);
    try (TestServer t = start("v1", c -> c.with(Settings.KEYFILE, Optional.of(pem[0])).with(Settings.CERTFILE, Optional.of(pem[1])));
        Socket plain = new Socket("127.0.0.1", t.server.port())) {
      plain.getOutputStream().write("PROXY TCP6 2001:db8::9 ::1 4433 443\r\n".getBytes(StandardCharsets.US_ASCII));
      SSLSocket tls = (SSLSocket) TestCerts.trusting(pem[1]).getSocketFactory().createSocket(plain, "localhost", t.server.port(), true);
      tls.startHandshake();
      try (RawHttp connection = new RawHttp(tls)) {
        assertThat(connection.send(GET).body()).isEqualTo("2001:db8:0:0:0:0:0:9:4433 | 2001:db8:0:0:0:0:0:9:4433 | https");
      }
    }
  }

  @Test
  void http2_cleartext_connections_get_the_header_client_too() throws Exception {
    try (TestServer t = start("auto", c -> c.with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1"))
            .with(Settings.HTTP2_CLEARTEXT, true));
        RawHttp connection = new RawHttp(t.server.port())) {
      connection.write("PROXY TCP4 198.51.100.4 192.0.2.1 6000 8000\r\n");
      assertThat(connection.send(GET).body()).isEqualTo("198.51.100.4:6000 | 198.51.100.4:6000 | http");
    }
  }

  private void assertClosedUnanswered(TestServer t, byte[] header) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", t.server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(header);
      try {
        socket.getOutputStream().write(GET.getBytes(StandardCharsets.US_ASCII));
      } catch (IOException alreadyClosed) {
        // the server may have closed before the request went out
      }
      assertThat(readAll(socket.getInputStream())).as("no answer, then closed").isEmpty();
    }
  }

  /** Everything until the server closes (a reset counts as closed); a timeout fails the test. */
  private static String readAll(InputStream in) throws IOException {
    StringBuilder received = new StringBuilder();
    try {
      for (int b = in.read(); b >= 0; b = in.read()) {
        received.append((char) b);
      }
    } catch (java.net.SocketTimeoutException stillOpen) {
      throw new AssertionError("the connection is still open after " + Duration.ofSeconds(10), stillOpen);
    } catch (IOException reset) {
      // closed with unread bytes: a reset
    }
    return received.toString();
  }
}
