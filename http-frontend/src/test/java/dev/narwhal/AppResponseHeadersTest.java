package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestCerts;
import dev.narwhal.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Response fields the application sets that Pekko renders only from its own models: Connection,
 * Server and Date go out as set (Pekko used to drop them, warning each time), and a field whose
 * name is not a token never reaches the wire.
 */
class AppResponseHeadersTest {
  private static final String PEKKO = "org.apache.pekko";
  private static final Application SETS_HEADERS = Application.of(r -> switch (r.path()) {
    case "/close" -> Response.status(200).header("Connection", "close").text("bye");
    case "/http1-only" -> Response.status(200).header("Connection", "keep-alive").header("Keep-Alive", "timeout=5")
        .header("Upgrade", "websocket").header("Proxy-Connection", "keep-alive").text("old habits");
    case "/branded" -> Response.status(200).header("Server", "shop/2.1")
        .header("Date", "Tue, 01 Dec 2026 10:00:00 GMT").text("branded");
    case "/bad" -> Response.status(200).header("Bad Name", "x").header("X-Good", "y").text("bad");
    default -> Response.ok("plain");
  });

  @Test
  void connection_close_from_the_application_closes_the_connection_after_the_answer() throws Exception {
    try (TestServer t = TestServer.start(SETS_HEADERS, c -> c);
        LogCapture pekko = new LogCapture(PEKKO);
        RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply reply = connection.send("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(reply.body()).isEqualTo("bye");
      assertThat(reply.headers()).containsEntry("connection", "close");
      await().atMost(Duration.ofSeconds(10)).until(connection::closedByServer);
      assertThat(pekko.text()).doesNotContain("is ignored");
    }
  }

  @Test
  void server_and_date_from_the_application_replace_the_server_s_own_even_with_server_header_off() throws Exception {
    try (TestServer t = TestServer.start(SETS_HEADERS, c -> c.with(Settings.SERVER_HEADER, false));
        LogCapture pekko = new LogCapture(PEKKO);
        RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply reply = connection.send("GET /branded HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(reply.headers()).containsEntry("server", "shop/2.1")
          .containsEntry("date", "Tue, 01 Dec 2026 10:00:00 GMT");
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").headers()).doesNotContainKey("server");
      assertThat(pekko.text()).doesNotContain("is ignored");
    }
  }

  @Test
  void a_field_name_that_is_not_a_token_never_reaches_the_wire_and_is_one_warning() throws Exception {
    try (TestServer t = TestServer.start(SETS_HEADERS, c -> c);
        LogCapture narwhal = new LogCapture("narwhal")) {
      for (int i = 0; i < 3; i++) {
        String raw = rawExchange(t.server.port(), "GET /bad HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 200 OK").contains("X-Good: y").doesNotContain("Bad Name");
      }
      await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(500))
          .until(() -> narwhal.text().split("Dropped", -1).length == 2);
      assertThat(narwhal.text()).contains("'Bad Name' is not a field name");
    }
  }

  @Test
  void connection_from_the_application_is_left_out_over_http2_without_a_warning() throws Exception {
    try (TestServer t = TestServer.start(SETS_HEADERS, c -> c.with(Settings.HTTP2_CLEARTEXT, true));
        LogCapture pekko = new LogCapture(PEKKO);
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.requestWith(1, "/close");
      assertThat(RawHttp2.status(connection.readUntil(RawHttp2.HEADERS, 1))).isEqualTo(200);
      connection.requestWith(3, "/");
      assertThat(RawHttp2.status(connection.readUntil(RawHttp2.HEADERS, 3))).isEqualTo(200);
      await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(500)).until(() -> !pekko.text().contains("Connection"));
    }
  }

  @Test
  void connection_specific_fields_from_the_application_are_left_out_over_http2() throws Exception {
    try (TestServer t = TestServer.start(SETS_HEADERS, c -> c.with(Settings.HTTP2_CLEARTEXT, true))) {
      TestCerts.Result get = RawHttp2.curl(t, "-i", "/http1-only");
      assertThat(get.status()).as(get.output()).isZero(); // curl refuses a response with them (PROTOCOL_ERROR)
      assertThat(get.output()).startsWith("HTTP/2 200").endsWith("old habits")
          .doesNotContainIgnoringCase("keep-alive").doesNotContainIgnoringCase("upgrade");
    }
  }

  /** The whole answer as it came over the wire, up to the server's close. */
  private static String rawExchange(int port, String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.ISO_8859_1);
    }
  }
}
