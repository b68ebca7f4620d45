package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** forwarded-allow-ips deciding whose proxy headers count, the Server and Date headers, and Expect: 100-continue. */
class ProxyAndHeadersTest {
  /** remote address | client address | scheme, as the application sees them. */
  static final Application WHO = Application.of(r -> Response.ok(
      ip(r.remoteAddress().orElseThrow()) + " | " + ip(r.clientAddress().orElseThrow()) + " | " + r.scheme()));
  static final Application ECHO = Application.of(r -> Response.ok("got " + r.bodyAsString()));
  static final String PROXIED = "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n\r\n";

  static String ip(InetSocketAddress a) {
    return a.getAddress().getHostAddress();
  }

  @Test
  void a_trusted_proxy_sets_the_client_and_scheme_while_the_access_log_keeps_the_peer_as_gunicorn_does() throws Exception {
    Logger access = (Logger) LoggerFactory.getLogger(Loggers.ACCESS);
    Level level = access.getLevel();
    access.setLevel(Level.INFO);
    try (LogCapture log = new LogCapture(Loggers.ACCESS);
        TestServer t = TestServer.start(WHO, c -> c.with(Settings.ACCESSLOG, "-")
            .with(Settings.ACCESS_LOG_FORMAT, "%(h)s %({x-forwarded-for}i)s %(s)s"));
        RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send(PROXIED).body()).as("127.0.0.1 is trusted by default")
          .isEqualTo("127.0.0.1 | 203.0.113.9 | https");
      org.awaitility.Awaitility.await().until(() -> log.text().contains("127.0.0.1 203.0.113.9 200"));
    } finally {
      access.setLevel(level);
    }
  }

  @Test
  void an_untrusted_peer_cannot_choose_its_address_or_scheme() throws Exception {
    try (TestServer t = TestServer.start(WHO, c -> c.with(Settings.FORWARDED_ALLOW_IPS, List.of("10.0.0.0/8")));
        RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send(PROXIED).body()).isEqualTo("127.0.0.1 | 127.0.0.1 | http");
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\nForwarded: for=203.0.113.9;proto=https\r\n\r\n").body())
          .isEqualTo("127.0.0.1 | 127.0.0.1 | http");
    }
  }

  @Test
  void a_trusted_proxy_may_use_rfc_7239_forwarded() throws Exception {
    try (TestServer t = TestServer.start(WHO, c -> c.with(Settings.FORWARDED_ALLOW_IPS, List.of("*")));
        RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\nForwarded: for=\"[2001:db8::7]:443\";proto=https\r\n\r\n").body())
          .isEqualTo("127.0.0.1 | 2001:db8:0:0:0:0:0:7 | https");
    }
  }

  @Test
  void responses_carry_date_and_server_narwhal_and_server_header_off_drops_only_server() throws Exception {
    try (TestServer t = TestServer.start(ECHO, c -> c)) {
      var r = t.get("/");
      assertThat(r.headers().firstValue("server")).contains("narwhal");
      assertThat(r.headers().firstValue("date")).isPresent();
    }
    try (TestServer t = TestServer.start(ECHO, c -> c.with(Settings.SERVER_HEADER, false))) {
      var r = t.get("/");
      assertThat(r.headers().firstValue("server")).isEmpty();
      assertThat(r.headers().firstValue("date")).isPresent();
    }
  }

  @Test
  void expect_100_continue_gets_100_before_the_body_is_sent_then_the_answer() throws Exception {
    try (TestServer t = TestServer.start(ECHO, c -> c);
        RawHttp connection = new RawHttp(t.server.port())) {
      connection.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
          + "Expect: 100-continue\r\n\r\n");
      InputStream in = connection.socket.getInputStream();
      assertThat(readHead(in)).as("the interim response, before any body byte was sent").startsWith("HTTP/1.1 100 Continue\r\n");
      connection.write("hello");
      RawHttp.Reply reply = connection.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("got hello");
    }
  }

  /** Bytes up to and including the first blank line. */
  private static String readHead(InputStream in) throws Exception {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }
}
