package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestCerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.testing.TestCerts.KeyKind;
import dev.narwhal.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bind that serves HTTP/2 keeps the slow-client defences of a plain one, for its HTTP/1.1 and its
 * HTTP/2 connections: header-timeout, body-timeout, keepalive, and a cap on one connection's
 * streams. Without them one client holds connections (and, with streams, the backlog) for as long
 * as it likes.
 */
class Http2GuardsTest {
  /** Far below Pekko's idle-timeout (at least timeout + 5 s), which is all that closed these connections before. */
  private static final Duration WITHIN = Duration.ofSeconds(10);
  private final AtomicInteger handled = new AtomicInteger();
  private final Application app = Application.of(r -> {
    handled.incrementAndGet();
    return Response.ok("got " + r.bodyLength());
  });

  @TempDir
  Path dir;

  @Test
  void a_slow_http1_head_on_an_http2_cleartext_bind_is_answered_408_after_header_timeout() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.HEADER_TIMEOUT, Duration.ofMillis(500)));
        RawHttp connection = new RawHttp(t.server.port())) {
      connection.write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaa");
      RawHttp.Reply reply = connection.read();
      assertThat(reply.status()).isEqualTo(408);
      await().atMost(WITHIN).until(connection::closedByServer);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void a_slow_http1_head_on_an_h2_tls_bind_is_answered_408_after_header_timeout() throws Exception {
    Path[] pem = TestCerts.server(dir, "server", KeyKind.EC_PKCS8);
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.KEYFILE, Optional.of(pem[0]))
        .with(Settings.CERTFILE, Optional.of(pem[1])).with(Settings.HTTP_PROTOCOLS, List.of("h2", "h1"))
        .with(Settings.HEADER_TIMEOUT, Duration.ofMillis(500)));
        SSLSocket socket = (SSLSocket) TestCerts.trusting(pem[1]).getSocketFactory()
            .createSocket("127.0.0.1", t.server.port())) {
      SSLParameters alpn = socket.getSSLParameters();
      alpn.setApplicationProtocols(new String[] {"http/1.1"});
      socket.setSSLParameters(alpn);
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaa".getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
      assertThat(statusLine(socket.getInputStream())).startsWith("HTTP/1.1 408");
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void an_idle_http1_connection_on_an_http2_bind_is_closed_after_keepalive() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.KEEPALIVE, Duration.ofMillis(500)));
        RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply reply = connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.headers()).doesNotContainKey("connection");
      await().atMost(WITHIN).until(connection::closedByServer);
    }
  }

  @Test
  void an_http2_connection_that_opens_no_stream_is_closed_after_header_timeout() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.HEADER_TIMEOUT, Duration.ofMillis(500)));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      assertThat(connection.closedWithin(WITHIN, false)).isTrue();
      assertThat(connection.goAway()).as("a GOAWAY before the close (RFC 9113 section 6.8)").isNotNull();
      assertThat(connection.goAway().errorCode()).isZero(); // NO_ERROR
    }
  }

  @Test
  void an_idle_http2_connection_is_closed_after_keepalive_even_while_the_client_pings() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.KEEPALIVE, Duration.ofMillis(500)));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.request(1, "GET", "/", -1, true);
      RawHttp2.Frame answer = connection.readUntil(RawHttp2.HEADERS, 1);
      assertThat(answer).as("the answer to the request").isNotNull();
      // PINGs keep Pekko's idle-timeout from ever firing: only the keepalive clock closes this connection
      assertThat(connection.closedWithin(WITHIN, true)).isTrue();
      assertThat(connection.goAway()).as("a GOAWAY before the close (RFC 9113 section 6.8)").isNotNull();
      assertThat(connection.goAway().errorCode()).isZero(); // NO_ERROR
      assertThat(handled).hasValue(1);
    }
  }

  @Test
  void an_http2_body_that_stops_arriving_ends_its_stream_after_body_timeout_and_never_reaches_the_app() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.BODY_TIMEOUT, Duration.ofMillis(500)));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.request(1, "POST", "/", 100, false);
      connection.data(1, new byte[10], false);
      RawHttp2.Frame answer = connection.readUntil(-1, 1);
      while (answer != null && answer.type() != RawHttp2.RST_STREAM && answer.type() != RawHttp2.HEADERS) {
        answer = connection.readUntil(-1, 1); // WINDOW_UPDATEs for the body's bytes
      }
      // Pekko resets the stream (CANCEL) as the body stops being read, before the 408 can go out
      assertThat(answer).as("the end of stream 1").isNotNull();
      if (answer.type() == RawHttp2.RST_STREAM) {
        assertThat(answer.errorCode()).isEqualTo(RawHttp2.CANCEL);
      } else {
        assertThat(RawHttp2.status(answer)).isEqualTo(408);
      }
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void an_http2_body_over_limit_request_body_is_answered_413_and_never_reaches_the_app() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.LIMIT_REQUEST_BODY, 1000L))) {
      // declared or not, Pekko keeps no length for an HTTP/2 body: the bytes are what count
      assertThat(post(t, 5000, 5000)).isEqualTo(413);
      assertThat(post(t, -1, 400, 400, 400)).isEqualTo(413);
      assertThat(post(t, -1, 1000)).isEqualTo(200);
      assertThat(handled).hasValue(1);
    }
  }

  /** The status of a POST on a new connection (each its own HPACK table), its body in DATA frames of these sizes. */
  private static int post(TestServer t, long declared, int... frames) throws Exception {
    try (RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.request(1, "POST", "/", declared, false);
      for (int i = 0; i < frames.length; i++) {
        connection.data(1, new byte[frames[i]], i == frames.length - 1);
      }
      return RawHttp2.status(connection.readUntil(RawHttp2.HEADERS, 1));
    }
  }

  @Test
  void a_stream_the_client_resets_in_the_middle_of_its_body_is_access_logged_499_not_500() throws Exception {
    java.util.List<String> lines = HttpSettingsTest.captureAccessLog(() -> {
      try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true).with(Settings.ACCESSLOG, "-"));
          RawHttp2 connection = new RawHttp2(t.server.port())) {
        connection.request(1, "POST", "/upload", 100, false);
        connection.data(1, new byte[10], false);
        connection.frame(RawHttp2.RST_STREAM, 0, 1, java.nio.ByteBuffer.allocate(4).putInt(RawHttp2.CANCEL).array());
        await().atMost(WITHIN).untilAsserted(() ->
            assertThat(StatsTest.stats(t).at("/totals/requests").asLong()).isEqualTo(1));
      }
    });
    assertThat(lines).singleElement().asString().contains("\"POST /upload HTTP/2.0\" 499 ");
    assertThat(handled).hasValue(0);
  }

  @Test
  void an_http2_connection_is_told_it_may_open_100_streams_at_once_by_default() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      RawHttp2.Frame settings = connection.readUntil(RawHttp2.SETTINGS, 0);
      assertThat(settings.setting(RawHttp2.SETTINGS_MAX_CONCURRENT_STREAMS)).isEqualTo(100);
    }
  }

  @Test
  void an_http2_stream_beyond_http2_max_concurrent_streams_is_refused() throws Exception {
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.HTTP2_MAX_CONCURRENT_STREAMS, 3));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      // bodies that never come keep each stream open, so all four are in flight at once
      for (int stream = 1; stream <= 7; stream += 2) {
        connection.request(stream, "POST", "/", 10, false);
      }
      RawHttp2.Frame refused = connection.readUntil(RawHttp2.RST_STREAM, -1);
      assertThat(refused).as("a RST_STREAM").isNotNull();
      assertThat(refused.stream()).isEqualTo(7);
      assertThat(refused.errorCode()).isEqualTo(RawHttp2.REFUSED_STREAM);
      connection.data(1, new byte[10], true);
      assertThat(RawHttp2.status(connection.readUntil(RawHttp2.HEADERS, 1))).as("a stream within the cap").isEqualTo(200);
    }
  }

  @Test
  void a_stop_lets_an_http2_request_in_flight_finish() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Application slow = Application.of(r -> {
      handled.incrementAndGet();
      release.await();
      return Response.ok("late");
    });
    try (TestServer t = TestServer.start(slow, c -> c.with(Settings.HTTP2_CLEARTEXT, true));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.request(1, "GET", "/", -1, true);
      await().atMost(WITHIN).until(() -> handled.get() == 1);
      var stopped = t.server.stop(Duration.ofSeconds(20)).toCompletableFuture();
      release.countDown();
      RawHttp2.Frame answer = connection.readUntil(RawHttp2.HEADERS, 1);
      assertThat(answer).as("the answer to the request in flight").isNotNull();
      assertThat(RawHttp2.status(answer)).isEqualTo(200);
      stopped.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void an_http1_request_asking_to_upgrade_to_h2c_is_answered_over_http1() throws Exception {
    TestCerts.assumeTool("curl");
    try (TestServer t = TestServer.start(app, c -> c.with(Settings.HTTP2_CLEARTEXT, true))) {
      // RFC 9113 deprecates Upgrade: h2c; an upgraded connection would have left the HTTP/1.1 stages behind
      assertThat(RequestTargetTest.curl("--http2", "http://127.0.0.1:" + t.server.port() + "/")).isEqualTo("200 1.1 got 0");
    }
  }

  /** The first line of an HTTP/1.1 answer. */
  private static String statusLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
        line.write(b);
      }
    } catch (SocketTimeoutException noAnswer) {
      return "no answer in 15 s";
    }
    return line.toString(StandardCharsets.ISO_8859_1).strip();
  }
}
