package dev.narwhal;

import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.PrometheusText;
import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.logging.Loggers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The settings the HTTP front end applies: keepalive, the request limits, the access log. */
class HttpSettingsTest {
  static final Application HELLO = Application.of(r -> Response.ok("hi"));
  static final String GET = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

  @Test
  void an_idle_keep_alive_connection_is_closed_after_keepalive() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.KEEPALIVE, Duration.ofMillis(700)));
        RawHttp connection = new RawHttp(t.server.port())) {
      assertThat(connection.send(GET).status()).isEqualTo(200);
      long answered = System.nanoTime();
      assertThat(connection.send(GET).status()).as("the connection is kept alive between requests").isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(connection::closedByServer);
      long idleMillis = (System.nanoTime() - answered) / 1_000_000;
      assertThat(idleMillis).isBetween(600L, 8_000L);
    }
  }

  @Test
  void a_connection_in_use_outlives_keepalive_and_closes_a_full_keepalive_after_its_last_answer() throws Exception {
    Duration keepalive = Duration.ofMillis(500);
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.KEEPALIVE, keepalive));
        RawHttp connection = new RawHttp(t.server.port())) {
      long start = System.nanoTime();
      int answered = 0;
      while (System.nanoTime() - start < 3 * keepalive.toNanos()) {
        assertThat(connection.send(GET).status()).as("request %d on the same connection", answered).isEqualTo(200);
        answered++;
      }
      long last = System.nanoTime();

      // the clock of an earlier idle moment runs out meanwhile; it must not close the connection early
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(connection::closedByServer);
      long idleMillis = (System.nanoTime() - last) / 1_000_000;
      assertThat(idleMillis).isBetween(keepalive.toMillis() - 100, 8_000L);
    }
  }

  @Test
  void keepalive_never_cuts_a_response_slower_than_it_short() throws Exception {
    Application slow = Application.of(r -> {
      Thread.sleep(1_200);
      return Response.ok("slow");
    });
    try (TestServer t = TestServer.start(slow, c -> c.with(Settings.KEEPALIVE, Duration.ofMillis(200)));
        RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply reply = connection.send(GET);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("slow");
    }
  }

  @Test
  void a_request_within_timeout_outlasts_a_shorter_pekko_idle_timeout() throws Exception {
    Application slow = Application.of(r -> {
      Thread.sleep(2_500);
      return Response.ok("slow");
    });
    ServerConfig shortIdle = ServerConfig.from(ConfigFactory.parseString("pekko.http.server.idle-timeout = 1s")
        .withFallback(dev.narwhal.config.internal.BaseConfig.load()).resolve());
    try (TestServer t = TestServer.start(slow, c -> shortIdle.withBinds(c.binds()).with(Settings.TIMEOUT, Duration.ofSeconds(10)))) {
      assertThat(t.get("/").body()).isEqualTo("slow");
    }
  }

  @Test
  void keepalive_off_closes_the_connection_after_each_response() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.KEEPALIVE, Duration.ZERO));
        RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply reply = connection.send(GET);
      assertThat(reply.headers()).containsEntry("connection", "close");
      await().atMost(Duration.ofSeconds(5)).until(connection::closedByServer);
    }
  }

  @Test
  void limit_request_line_answers_a_longer_target_414() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.LIMIT_REQUEST_LINE, 64))) {
      assertThat(t.get("/" + "a".repeat(40)).statusCode()).isEqualTo(200);
      assertThat(t.get("/" + "a".repeat(100)).statusCode()).isEqualTo(414);
    }
  }

  @Test
  void limit_request_fields_lets_that_many_headers_through_and_answers_one_more_431() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.LIMIT_REQUEST_FIELDS, 5));
        RawHttp first = new RawHttp(t.server.port());
        RawHttp second = new RawHttp(t.server.port())) {
      assertThat(first.send("GET / HTTP/1.1\r\nHost: x\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n").status()).isEqualTo(200);
      StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
      for (int i = 0; i < 5; i++) {
        many.append("X-").append(i).append(": v\r\n");
      }
      RawHttp.Reply tooMany = second.send(many.append("\r\n").toString());
      assertThat(tooMany.status()).isEqualTo(431);
      assertThat(tooMany.body()).contains("more than the configured limit of 5 headers");
      assertThat(tooMany.headers()).containsEntry("connection", "close");
    }
  }

  @Test
  void limit_request_field_size_answers_a_longer_header_value_431() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.LIMIT_REQUEST_FIELD_SIZE, 16));
        RawHttp first = new RawHttp(t.server.port());
        RawHttp second = new RawHttp(t.server.port())) {
      assertThat(first.send("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + "v".repeat(16) + "\r\n\r\n").status()).isEqualTo(200);
      assertThat(second.send("GET / HTTP/1.1\r\nHost: x\r\nX-A: " + "v".repeat(40) + "\r\n\r\n").status()).isEqualTo(431);
    }
  }

  @Test
  void zero_means_no_limit() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.LIMIT_REQUEST_LINE, 0)
        .with(Settings.LIMIT_REQUEST_FIELD_SIZE, 0));
        RawHttp connection = new RawHttp(t.server.port())) {
      String longTarget = "/" + "a".repeat(10_000);
      String longValue = "v".repeat(20_000);
      assertThat(connection.send("GET " + longTarget + " HTTP/1.1\r\nHost: x\r\nX-A: " + longValue + "\r\n\r\n").status())
          .isEqualTo(200);
    }
  }

  @Test
  void the_access_log_gets_one_gunicorn_line_per_request_when_enabled() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(Application.of(r -> Response.status(201).text("made")),
          c -> c.with(Settings.ACCESSLOG, "-"))) {
        t.client.send(java.net.http.HttpRequest.newBuilder(t.uri("/posts?draft=1")).header("Referer", "http://r/")
            .header("User-Agent", "test-agent").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      }
    });
    assertThat(lines).singleElement().asString()
        .matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] "
            + "\"GET /posts\\?draft=1 HTTP/1\\.1\" 201 4 \"http://r/\" \"test-agent\"");
  }

  @Test
  void no_access_log_by_default() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(HELLO, c -> c)) {
        t.get("/");
      }
    });
    assertThat(lines).isEmpty();
  }

  @Test
  void access_log_json_writes_one_object_per_request() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.ACCESSLOG, "-").with(Settings.ACCESS_LOG_JSON, true))) {
        t.get("/json");
      }
    });
    assertThat(lines).singleElement().asString().startsWith("{\"time\":\"").contains("\"path\":\"/json\"", "\"status\":200");
  }

  @Test
  void requests_the_parser_rejects_are_access_logged_and_counted() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.ACCESSLOG, "-")
          .with(Settings.LIMIT_REQUEST_LINE, 64).with(Settings.LIMIT_REQUEST_FIELDS, 5))) {
        assertThat(sendAlone(t, "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(414);
        assertThat(sendAlone(t, withHeaders(10))).isEqualTo(431);
        assertThat(sendAlone(t, "GET / HTTP/1.1\r\nHost: x\r\nno colon\r\n\r\n")).isEqualTo(400);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
          assertThat(StatsTest.stats(t).at("/totals/responses/4xx").asLong()).isEqualTo(3);
          assertThat(StatsTest.stats(t).at("/totals/requests").asLong()).isEqualTo(3);
        });
      }
    });
    String rejected = "- - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] \"-\" %d \\d+ \"-\" \"-\"";
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches(rejected.formatted(414));
    assertThat(lines.get(1)).matches(rejected.formatted(431));
    assertThat(lines.get(2)).matches(rejected.formatted(400));
  }

  @Test
  void requests_the_parser_rejects_are_one_warning_a_minute_not_one_each() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.LIMIT_REQUEST_LINE, 64));
        LogCapture pekko = new LogCapture("org.apache.pekko")) {
      for (int i = 0; i < 3; i++) {
        assertThat(sendAlone(t, "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(414);
      }
      // the log is written asynchronously: the one warning must stay the only one
      await().atMost(Duration.ofSeconds(10)).during(Duration.ofSeconds(1))
          .until(() -> pekko.text().split("Illegal request", -1).length == 2);
      assertThat(pekko.text()).contains("414 URI Too Long", "further requests the parser refuses are logged at most once a minute");
    }
  }

  @Test
  void a_connection_answered_408_by_header_timeout_is_access_logged_and_counted() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.ACCESSLOG, "-")
          .with(Settings.HEADER_TIMEOUT, Duration.ofMillis(300)));
          RawHttp silent = new RawHttp(t.server.port())) {
        assertThat(silent.read().status()).isEqualTo(408);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(StatsTest.stats(t).at("/totals/responses/4xx").asLong()).isEqualTo(1));
      }
    });
    assertThat(lines).singleElement().asString().startsWith("- - - [").contains("\"-\" 408 ");
  }

  @Test
  void prometheus_counts_a_parser_rejection_by_its_status() throws Exception {
    try (TestServer t = TestServer.start(HELLO, c -> MetricsTest.METRICS.apply(c).with(Settings.LIMIT_REQUEST_LINE, 64))) {
      assertThat(sendAlone(t, "GET /" + "a".repeat(100) + " HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(414);
      await().atMost(MetricsTest.WAIT).untilAsserted(() -> {
        PrometheusText m = MetricsTest.scrape(t);
        assertThat(m.value("narwhal_requests_total", java.util.Map.of("method", "OTHER", "status", "414"))).hasValue(1);
        assertThat(m.value("narwhal_requests_in_flight")).hasValue(0);
      });
    }
  }

  @Test
  void a_parser_rejection_goes_to_its_own_servers_json_log_and_counts() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer limited = TestServer.start(HELLO, c -> c.with(Settings.ACCESSLOG, "-")
          .with(Settings.ACCESS_LOG_JSON, true).with(Settings.LIMIT_REQUEST_FIELD_SIZE, 16));
          TestServer other = TestServer.start(HELLO, c -> c.with(Settings.ACCESSLOG, "-"))) {
        assertThat(sendAlone(limited, "GET / HTTP/1.1\r\nHost: x\r\nX-A: " + "v".repeat(40) + "\r\n\r\n")).isEqualTo(431);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
            assertThat(StatsTest.stats(limited).at("/totals/responses/4xx").asLong()).isEqualTo(1));
        assertThat(StatsTest.stats(other).at("/totals/requests").asLong()).isZero();
      }
    });
    assertThat(lines).singleElement().asString().startsWith("{\"time\":\"")
        .contains("\"remote_addr\":null", "\"method\":null", "\"status\":431");
  }

  @Test
  void requests_the_framing_guard_or_the_body_limit_rejects_are_access_logged_with_their_request_line() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(HELLO, c -> c.with(Settings.ACCESSLOG, "-").with(Settings.LIMIT_REQUEST_BODY, 10L))) {
        assertThat(sendAlone(t, "GET * HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(400);
        assertThat(sendAlone(t, "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")).isEqualTo(413);
      }
    });
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("127.0.0.1 - - [").contains("\"GET * HTTP/1.1\" 400 ");
    assertThat(lines.get(1)).startsWith("127.0.0.1 - - [").contains("\"POST /up HTTP/1.1\" 413 ");
  }

  /** The status of the answer to {@code head}, sent on a connection of its own. */
  static int sendAlone(TestServer t, String head) throws Exception {
    try (RawHttp connection = new RawHttp(t.server.port())) {
      return connection.send(head).status();
    }
  }

  static String withHeaders(int count) {
    StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\nHost: x\r\n");
    for (int i = 0; i < count; i++) {
      head.append("X-").append(i).append(": v\r\n");
    }
    return head.append("\r\n").toString();
  }

  interface Body {
    void run() throws Exception;
  }

  static List<String> captureAccessLog(Body body) throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(Loggers.ACCESS);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    Level before = logger.getLevel();
    logger.setLevel(Level.INFO);
    logger.addAppender(appender);
    try {
      body.run();
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    } finally {
      logger.detachAppender(appender);
      logger.setLevel(before);
    }
  }
}
