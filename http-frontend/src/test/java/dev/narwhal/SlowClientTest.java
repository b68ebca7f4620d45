package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The front end's defences against clients that send too much or too slowly: limit-request-body,
 * header-timeout and body-timeout. Each is answered before any worker sees the request.
 */
class SlowClientTest {
  /** Where Pekko's own messages (parser errors included) are logged. */
  private static final String PEKKO_LOG = "org.apache.pekko.actor.ActorSystemImpl";
  private final AtomicInteger handled = new AtomicInteger();
  private final Application echoLength = Application.of(r -> {
    handled.incrementAndGet();
    return Response.ok("got " + r.bodyLength());
  });

  @Test
  void a_declared_body_over_limit_request_body_is_answered_413_before_it_is_sent() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.LIMIT_REQUEST_BODY, 1024L));
        RawHttp connection = new RawHttp(t.server.port())) {
      // only the head goes out: the answer must not wait for a body that never comes
      RawHttp.Reply reply = connection.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n");
      assertThat(reply.status()).isEqualTo(413);
      assertThat(reply.headers()).containsEntry("connection", "close");
      await().atMost(Duration.ofSeconds(5)).until(connection::closedByServer);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void a_chunked_body_growing_past_limit_request_body_is_answered_413() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.LIMIT_REQUEST_BODY, 1024L));
        RawHttp connection = new RawHttp(t.server.port())) {
      String chunk = Integer.toHexString(600) + "\r\n" + "a".repeat(600) + "\r\n";
      write(connection, "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);
      // the chunked body has not ended: the 413 comes as soon as it passes the limit
      RawHttp.Reply reply = connection.read();
      assertThat(reply.status()).isEqualTo(413);
      await().atMost(Duration.ofSeconds(5)).until(connection::closedByServer);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void a_body_within_limit_request_body_reaches_the_application() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.LIMIT_REQUEST_BODY, 1024L))) {
      assertThat(post(t, new byte[1024]).body()).isEqualTo("got 1024");
      assertThat(post(t, new byte[1025]).statusCode()).isEqualTo(413);
    }
  }

  @Test
  void limit_request_body_zero_means_unlimited() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.LIMIT_REQUEST_BODY, 0L))) {
      assertThat(post(t, new byte[3 << 20]).body()).isEqualTo("got " + (3 << 20));
    }
  }

  @Test
  void a_request_head_trickled_in_past_header_timeout_is_answered_408_and_closed() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.HEADER_TIMEOUT, Duration.ofMillis(500)));
        RawHttp connection = new RawHttp(t.server.port())) {
      long start = System.nanoTime();
      // one byte every 100 ms: Pekko's idle-timeout would never fire
      byte[] head = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.ISO_8859_1);
      int sent = 0;
      while (sent < head.length && connection.socket.getInputStream().available() == 0) {
        connection.socket.getOutputStream().write(head[sent++]);
        TimeUnit.MILLISECONDS.sleep(100);
      }
      RawHttp.Reply reply = connection.read();
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(reply.status()).isEqualTo(408);
      assertThat(reply.headers()).containsEntry("connection", "close");
      assertThat(millis).isBetween(400L, 5_000L);
      assertThat(sent).isLessThan(head.length);
      await().atMost(Duration.ofSeconds(5)).until(connection::closedByServer);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void a_connection_that_sends_nothing_is_closed_after_header_timeout() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.HEADER_TIMEOUT, Duration.ofMillis(300)));
        RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.read().status()).isEqualTo(408);
      await().atMost(Duration.ofSeconds(5)).until(connection::closedByServer);
    }
  }

  @Test
  void a_head_completed_within_header_timeout_is_served_and_later_requests_are_keepalives() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.HEADER_TIMEOUT, Duration.ofMillis(800))
        .with(Settings.KEEPALIVE, Duration.ofSeconds(5)));
        RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
      // past header-timeout since the connection opened, but within keepalive since the answer
      await().pollDelay(Duration.ofMillis(1_000)).atMost(Duration.ofSeconds(2)).until(() -> true);
      assertThat(connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
    }
  }

  @Test
  void a_client_that_gives_up_in_the_middle_of_a_head_leaves_no_warning() throws Exception {
    ch.qos.logback.classic.Logger pekko = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PEKKO_LOG);
    ch.qos.logback.classic.Level before = pekko.getLevel();
    pekko.setLevel(ch.qos.logback.classic.Level.DEBUG);
    try (TestServer t = TestServer.start(echoLength, c -> c);
        LogCapture log = new LogCapture(PEKKO_LOG)) {
      try (RawHttp connection = new RawHttp(t.server.port())) {
        write(connection, "GET / HTTP/1.1\r\nHost: x\r\nX-Sl");
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> log.text().contains("closed its connection in the middle of a request head"));
      assertThat(log.text()).doesNotContain("Illegal HTTP message start");
    } finally {
      pekko.setLevel(before);
    }
  }

  @Test
  void header_timeout_off_leaves_a_slow_head_alone() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.HEADER_TIMEOUT, Duration.ZERO));
        RawHttp connection = new RawHttp(t.server.port())) {
      trickle(connection, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 40);
      assertThat(connection.read().status()).isEqualTo(200);
    }
  }

  @Test
  void a_body_that_stops_arriving_for_body_timeout_is_answered_408_and_closed() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.BODY_TIMEOUT, Duration.ofMillis(500)));
        RawHttp connection = new RawHttp(t.server.port())) {
      long start = System.nanoTime();
      write(connection, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + "a".repeat(10));
      RawHttp.Reply reply = connection.read();
      assertThat(reply.status()).isEqualTo(408);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(400L, 5_000L);
      await().atMost(Duration.ofSeconds(5)).until(connection::closedByServer);
      assertThat(handled).hasValue(0);
    }
  }

  @Test
  void a_slow_but_steady_body_longer_than_body_timeout_in_total_is_served() throws Exception {
    try (TestServer t = TestServer.start(echoLength, c -> c.with(Settings.BODY_TIMEOUT, Duration.ofMillis(600)));
        RawHttp connection = new RawHttp(t.server.port())) {
      write(connection, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
      trickle(connection, "0123456789", 150);
      RawHttp.Reply reply = connection.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("got 10");
    }
  }

  private static HttpResponse<String> post(TestServer t, byte[] body) throws Exception {
    return t.client.send(HttpRequest.newBuilder(t.uri("/")).timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void write(RawHttp connection, String bytes) throws Exception {
    OutputStream out = connection.socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Sends one byte at a time, {@code gapMillis} apart: a slow client, paced on purpose. */
  private static void trickle(RawHttp connection, String bytes, long gapMillis) throws Exception {
    for (byte b : bytes.getBytes(StandardCharsets.ISO_8859_1)) {
      connection.socket.getOutputStream().write(b);
      connection.socket.getOutputStream().flush();
      TimeUnit.MILLISECONDS.sleep(gapMillis);
    }
  }
}
