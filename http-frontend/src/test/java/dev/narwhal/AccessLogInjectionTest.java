package dev.narwhal;

import dev.narwhal.testing.TestServer;

import static dev.narwhal.HttpSettingsTest.captureAccessLog;
import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.internal.TimeoutReport;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Client bytes that would forge or repaint log lines (CR, LF, ESC, invalid UTF-8, a quote after a
 * backslash), sent over raw sockets: every request stays one line, escaped as nginx escapes.
 */
class AccessLogInjectionTest {
  static final Application OK = Application.of(r -> Response.ok("ok"));
  /** A user name that writes a second line, paints the terminal red, and is not valid UTF-8. */
  static final byte[] EVIL_USER = bytes("evil\r\n127.0.0.1 - admin\u001b[31m\u00ff\u007f");
  static final String EVIL_USER_ESCAPED = "evil\\x0D\\x0A127.0.0.1 - admin\\x1B[31m\\xFF\\x7F";

  @Test
  void a_basic_user_with_crlf_esc_and_invalid_utf8_stays_on_its_line_escaped_byte_by_byte() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(OK, c -> c.with(Settings.ACCESSLOG, "-"))) {
        assertThat(send(t, "GET /login HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + basic(EVIL_USER) + "\r\n\r\n"))
            .isEqualTo(200);
      }
    });
    assertOneLineEach(lines, 1);
    assertThat(lines.get(0)).startsWith("127.0.0.1 - " + EVIL_USER_ESCAPED + " [").contains("\"GET /login HTTP/1.1\" 200 ");
  }

  @Test
  void a_decoded_path_with_crlf_esc_invalid_utf8_and_a_quote_is_escaped_while_the_raw_query_is_kept() throws Exception {
    String target = "/x%0d%0aforged%1b%5b2J%ff%c3%a9%22%5c?q=%0d%0a%1b%ff";
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(OK, c -> c.with(Settings.ACCESSLOG, "-")
          .with(Settings.ACCESS_LOG_FORMAT, "%(U)s|%({path_info}e)s|%(q)s|%({query_string}e)s|\"%(r)s\""))) {
        assertThat(send(t, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")).isEqualTo(200);
      }
    });
    assertOneLineEach(lines, 1);
    String path = "/x\\x0D\\x0Aforged\\x1B[2J\\xFF\\xC3\\xA9\\\"\\\\";
    assertThat(lines.get(0)).isEqualTo(path + "|" + path + "|q=%0d%0a%1b%ff|q=%0d%0a%1b%ff|\"GET " + target + " HTTP/1.1\"");
  }

  @Test
  void a_backslash_before_a_quote_in_a_header_cannot_close_the_quoted_field_and_del_is_escaped() throws Exception {
    // gunicorn's escaping turns \" into \\" and the field ends there: "forged" would be a field of its own;
    // DEL is the one control character Pekko's parser lets through in a header value
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(OK, c -> c.with(Settings.ACCESSLOG, "-"))) {
        assertThat(send(t, "GET / HTTP/1.1\r\nHost: x\r\nReferer: r\u007fr\r\nUser-Agent: x\\\" \"forged\r\n\r\n"))
            .isEqualTo(200);
      }
    });
    assertOneLineEach(lines, 1);
    assertThat(lines.get(0)).endsWith("\"GET / HTTP/1.1\" 200 2 \"r\\x7Fr\" \"x\\\\\\\" \\\"forged\"");
  }

  @Test
  void headers_with_esc_or_invalid_utf8_are_refused_and_logged_as_one_line_without_them() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(OK, c -> c.with(Settings.ACCESSLOG, "-")
          .with(Settings.ACCESS_LOG_FORMAT, "%(u)s \"%(r)s\" %(s)s \"%(a)s\" %({x-a}i)s"))) {
        assertThat(send(t, "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\u001b[2Jb\r\n\r\n")).isEqualTo(400);
        assertThat(send(t, "GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u00ff\u00feb\r\n\r\n")).isEqualTo(400);
      }
    });
    assertOneLineEach(lines, 2);
    assertThat(lines).containsOnly("- \"-\" 400 \"-\" -");
  }

  @Test
  void the_json_line_escapes_controls_del_and_non_ascii_so_it_stays_one_ascii_line() throws Exception {
    List<String> lines = captureAccessLog(() -> {
      try (TestServer t = TestServer.start(OK, c -> c.with(Settings.ACCESSLOG, "-").with(Settings.ACCESS_LOG_JSON, true))) {
        assertThat(send(t, "GET /j%0d%0a?q=%1b HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + basic(EVIL_USER)
            + "\r\nUser-Agent: a\\\"b\r\n\r\n")).isEqualTo(200);
      }
    });
    assertOneLineEach(lines, 1);
    assertThat(lines.get(0)).matches("\\p{ASCII}*")
        .contains("\"user\":\"evil\\r\\n127.0.0.1 - admin\\u001B[31m\\uFFFD\\u007F\"",
            "\"path\":\"/j%0d%0a\"", "\"query\":\"q=%1b\"", "\"user_agent\":\"a\\\\\\\"b\"");
  }

  @Test
  void the_worker_timeout_line_and_a_logged_request_escape_the_path() {
    Request request = Request.builder("GET", "/hang\r\nWORKER TIMEOUT (worker 9, GET /\u001b[2J").query("a=\n").build();
    assertThat(TimeoutReport.format(2, request, 2_010, null, new StackTraceElement[0]))
        .startsWith("WORKER TIMEOUT (worker 2, GET /hang\\x0D\\x0AWORKER TIMEOUT (worker 9, GET /\\x1B[2J, running 2")
        .doesNotContain("\n", "\r", "\u001b");
    assertThat(request.toString()).isEqualTo("GET /hang\\x0D\\x0AWORKER TIMEOUT (worker 9, GET /\\x1B[2J?a=\\x0A HTTP/1.1");
  }

  /** {@code count} lines came out, none of which holds a line break or an ESC. */
  static void assertOneLineEach(List<String> lines, int count) {
    assertThat(lines).hasSize(count);
    assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain("\r", "\n", "\u001b"));
  }

  /** The status of the answer to {@code head}, sent as ISO-8859-1 bytes on a connection of its own. */
  static int send(TestServer t, String head) throws Exception {
    return HttpSettingsTest.sendAlone(t, head);
  }

  static String basic(byte[] user) {
    ByteArrayOutputStream credentials = new ByteArrayOutputStream();
    credentials.writeBytes(user);
    credentials.writeBytes(":pw".getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(credentials.toByteArray());
  }

  private static byte[] bytes(String latin1) {
    return latin1.getBytes(StandardCharsets.ISO_8859_1);
  }
}
