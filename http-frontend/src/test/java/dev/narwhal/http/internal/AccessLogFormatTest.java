package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Header;
import dev.narwhal.Request;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fixed inputs, and the exact line gunicorn's glogging would write for them. */
class AccessLogFormatTest {
  static final ZonedDateTime START = ZonedDateTime.parse("2000-10-10T13:55:36-07:00");

  static Request.Builder apacheExample() {
    return apacheExample("/apache_pb.gif");
  }

  static Request.Builder apacheExample(String path) {
    return Request.builder("GET", path).version("HTTP/1.0")
        .remoteAddress(new InetSocketAddress("127.0.0.1", 50123))
        .header("Referer", "http://www.example.com/start.html")
        .header("User-Agent", "Mozilla/4.08 [en] (Win98; I ;Nav)");
  }

  static AccessLogEntry entry(Request request, Duration elapsed, Header... responseHeaders) {
    return new AccessLogEntry(request, 200, List.of(responseHeaders), 2326, START, elapsed, 4242);
  }

  static String format(String format, AccessLogEntry entry) {
    return new AccessLogFormat(format).format(entry);
  }

  @Test
  void the_default_format_is_gunicorns_combined_log_line() {
    String defaultFormat = ServerConfig.defaults().get(Settings.ACCESS_LOG_FORMAT);
    assertThat(format(defaultFormat, entry(apacheExample().build(), Duration.ofMillis(3))))
        .isEqualTo("127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
            + "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"");
  }

  @Test
  void u_is_the_http_basic_user_and_quotes_in_values_are_escaped() {
    Request request = Request.builder("GET", "/").version("HTTP/1.1")
        .header("Authorization", "Basic ZnJhbms6c2VjcmV0") // frank:secret
        .header("User-Agent", "say \"hi\"")
        .build();
    assertThat(format("%(u)s \"%(a)s\" %(h)s %(f)s", entry(request, Duration.ZERO)))
        .isEqualTo("frank \"say \\\"hi\\\"\" - -");
  }

  @Test
  void request_atoms_split_the_request_line() {
    Request request = apacheExample("/a%20b/c").query("x=1&y=2").build();
    assertThat(format("%(r)s|%(m)s|%(U)s|%(q)s|%(H)s|%(s)s|%(B)s|%(b)s",
        entry(request, Duration.ZERO)))
        .isEqualTo("GET /a%20b/c?x=1&y=2 HTTP/1.0|GET|/a b/c|x=1&y=2|HTTP/1.0|200|2326|2326");
  }

  @Test
  void time_atoms_give_seconds_milliseconds_microseconds_and_decimal_seconds() {
    Duration elapsed = Duration.ofSeconds(1, 500_002_000);
    assertThat(format("%(T)s %(M)s %(D)s %(L)s %(p)s", entry(apacheExample().build(), elapsed)))
        .isEqualTo("1 1500 1500002 1.500002 <4242>");
  }

  @Test
  void braced_atoms_read_headers_and_variables_case_insensitively() {
    Request request = apacheExample().header("X-Request-Id", "first").header("x-request-id", "second").build();
    AccessLogEntry entry = entry(request, Duration.ZERO, new Header("Content-Type", "text/plain"));
    assertThat(format("%({X-REQUEST-ID}i)s %({content-type}o)s %({X-Missing}i)s %({remote_addr}e)s "
        + "%({HTTP_USER_AGENT}e)s %({wsgi.url_scheme}e)s 100%%", entry))
        .isEqualTo("second text/plain - 127.0.0.1 Mozilla/4.08 [en] (Win98; I ;Nav) http 100%");
  }

  @Test
  void the_json_line_names_each_field() {
    String json = new AccessLogJson().format(entry(apacheExample().query("q=1").build(), Duration.ofMillis(12)));
    assertThat(json).isEqualTo("{\"time\":\"2000-10-10T13:55:36-07:00\",\"remote_addr\":\"127.0.0.1\",\"user\":null,"
        + "\"method\":\"GET\",\"path\":\"/apache_pb.gif\",\"query\":\"q=1\",\"protocol\":\"HTTP/1.0\",\"status\":200,"
        + "\"bytes\":2326,\"referer\":\"http://www.example.com/start.html\","
        + "\"user_agent\":\"Mozilla/4.08 [en] (Win98; I ;Nav)\",\"duration_ms\":12.0}");
  }

  @Test
  void a_request_the_parser_rejected_shows_dash_for_every_request_atom() {
    AccessLogEntry rejected = new AccessLogEntry(null, 414, List.of(new Header("Content-Type", "text/plain")), 59,
        START, Duration.ofMillis(2), 4242);
    assertThat(format("%(h)s %(u)s \"%(r)s\" %(m)s %(U)s %(q)s %(H)s %(s)s %(b)s %(f)s %(a)s %(M)s %(p)s "
        + "%({user-agent}i)s %({content-type}o)s %({remote_addr}e)s", rejected))
        .isEqualTo("- - \"-\" - - - - 414 59 - - 2 <4242> - text/plain -");
    assertThat(new AccessLogJson().format(rejected))
        .contains("\"remote_addr\":null", "\"method\":null", "\"path\":null", "\"status\":414", "\"bytes\":59");
  }
}
