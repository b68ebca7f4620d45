package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * HTTP/2 requests RFC 9113 calls malformed: the ones Pekko lets through are answered here before
 * any worker sees them, on their own stream, and the ones Pekko refuses end their connection with
 * a GOAWAY without a stack trace in the error log each time.
 */
class Http2MalformedRequestTest {
  private static final String PEKKO = "org.apache.pekko";
  private final AtomicInteger handled = new AtomicInteger();
  private final Application app = Application.of(r -> {
    handled.incrementAndGet();
    return Response.ok("served " + r.path());
  });

  @Test
  void a_connection_specific_field_is_answered_400_on_its_stream_and_the_connection_goes_on() throws Exception {
    try (TestServer t = h2(c -> c);
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      int stream = 1;
      for (String field : new String[] {"keep-alive", "proxy-connection", "upgrade"}) {
        connection.requestWith(stream, "/", field, "x");
        assertThat(answer(connection, stream)).isEqualTo(
            "400 Connection-specific header field " + field + " is not allowed in HTTP/2");
        stream += 2;
      }
      assertThat(handled).hasValue(0);
      connection.requestWith(stream, "/after");
      assertThat(answer(connection, stream)).isEqualTo("200 served /after");
    }
  }

  @Test
  void a_target_longer_than_limit_request_line_is_answered_414() throws Exception {
    try (TestServer t = h2(c -> c.with(Settings.LIMIT_REQUEST_LINE, 100));
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.requestWith(1, "/" + "a".repeat(100));
      assertThat(answer(connection, 1)).startsWith("414 ");
      assertThat(handled).hasValue(0);
      connection.requestWith(3, "/" + "a".repeat(90) + "?q=1");
      assertThat(answer(connection, 3)).startsWith("200 ");
    }
  }

  @Test
  void a_refused_stream_leaves_no_warning_about_a_connection_field() throws Exception {
    try (TestServer t = h2(c -> c);
        LogCapture log = new LogCapture(PEKKO);
        RawHttp2 connection = new RawHttp2(t.server.port())) {
      connection.requestWith(1, "/", "upgrade", "h2c");
      assertThat(answer(connection, 1)).startsWith("400 ");
      connection.requestWith(3, "/");
      assertThat(answer(connection, 3)).startsWith("200 ");
      assertThat(log.text()).doesNotContain("Connection");
    }
  }

  @Test
  void a_field_pekko_refuses_ends_the_connection_with_a_goaway_and_no_stack_trace() throws Exception {
    try (TestServer t = h2(c -> c);
        LogCapture log = new LogCapture(PEKKO)) {
      for (String[] field : new String[][] {{"connection", "close"}, {"te", "gzip"}, {"content-type", "garbage"}}) {
        try (RawHttp2 connection = new RawHttp2(t.server.port())) {
          connection.requestWith(1, "/", field[0], field[1]);
          RawHttp2.Frame goaway = connection.readUntil(RawHttp2.GOAWAY, -1);
          assertThat(goaway).isNotNull();
          assertThat(goaway.errorCode()).isEqualTo(1); // PROTOCOL_ERROR
        }
      }
      assertThat(handled).hasValue(0);
      assertThat(log.text()).doesNotContain("Error in stage").doesNotContain("\tat ");
    }
  }

  @Test
  void connections_failed_by_a_control_character_are_one_warning_not_an_error_each() throws Exception {
    try (TestServer t = h2(c -> c);
        LogCapture pekko = new LogCapture(PEKKO)) {
      for (int i = 0; i < 3; i++) {
        try (RawHttp2 connection = new RawHttp2(t.server.port())) {
          connection.requestWith(1, "/", "x-bad", "a\u0000b");
          assertThat(connection.readUntil(RawHttp2.GOAWAY, -1)).isNotNull();
        }
      }
      // the log is written asynchronously: the one warning must stay the only one
      await().atMost(Duration.ofSeconds(10)).during(Duration.ofSeconds(1))
          .until(() -> pekko.text().split("HTTP/2: closed", -1).length == 2);
      assertThat(pekko.text()).contains("Illegal character").doesNotContain("HTTP2 connection failed");
      assertThat(handled).hasValue(0);
    }
  }

  private TestServer h2(java.util.function.UnaryOperator<dev.narwhal.config.ServerConfig> more) throws Exception {
    return TestServer.start(app, c -> more.apply(c.with(Settings.HTTP2_CLEARTEXT, true)));
  }

  /** The status and body of {@code stream}'s answer, as "400 reason". */
  private static String answer(RawHttp2 connection, int stream) throws Exception {
    RawHttp2.Frame headers = connection.readUntil(RawHttp2.HEADERS, stream);
    assertThat(headers).isNotNull();
    StringBuilder body = new StringBuilder();
    for (RawHttp2.Frame f = connection.readUntil(RawHttp2.DATA, stream); f != null;
        f = connection.readUntil(RawHttp2.DATA, stream)) {
      body.append(new String(f.payload(), StandardCharsets.UTF_8));
      if ((f.flags() & RawHttp2.END_STREAM) != 0) {
        break;
      }
    }
    return RawHttp2.status(headers) + " " + body;
  }
}
