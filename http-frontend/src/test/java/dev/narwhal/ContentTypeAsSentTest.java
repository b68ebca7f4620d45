package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestServer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The application reads the Content-Type the client sent, not Pekko's model of it: the model drops
 * the parameters it does not know (a form's charset: a Latin-1 form is then decoded as UTF-8),
 * keeps the last of a repeated parameter where a filter in front may have read the first, and makes
 * one up for a body sent without any.
 */
class ContentTypeAsSentTest {
  private static final Application TYPES = Application.of(r -> Response.ok(r.headers().stream()
      .filter(h -> h.is("Content-Type")).map(Header::value).collect(Collectors.joining("|", "[", "]"))));

  private static String typeSeen(TestServer t, String contentType, String body) throws Exception {
    try (RawHttp connection = new RawHttp(t.server.port())) {
      String field = contentType == null ? "" : "Content-Type: " + contentType + "\r\n";
      return connection.send("POST / HTTP/1.1\r\nHost: x\r\n" + field + "Content-Length: " + body.length()
          + "\r\n\r\n" + body).body();
    }
  }

  @Test
  void parameters_reach_the_app_as_sent() throws Exception {
    try (TestServer t = TestServer.start(TYPES, c -> c)) {
      assertThat(typeSeen(t, "application/x-www-form-urlencoded; charset=iso-8859-1", "a=%E9"))
          .isEqualTo("[application/x-www-form-urlencoded; charset=iso-8859-1]");
      assertThat(typeSeen(t, "application/json; charset=utf-16", "{}")).isEqualTo("[application/json; charset=utf-16]");
      assertThat(typeSeen(t, "multipart/form-data; boundary=x; boundary=y", "--x--"))
          .isEqualTo("[multipart/form-data; boundary=x; boundary=y]");
    }
  }

  @Test
  void a_value_pekko_cannot_parse_reaches_the_app_once_and_a_body_without_one_gets_none() throws Exception {
    try (TestServer t = TestServer.start(TYPES, c -> c)) {
      assertThat(typeSeen(t, "foo", "hi")).isEqualTo("[foo]");
      assertThat(typeSeen(t, null, "hi")).isEqualTo("[]");
    }
  }

  @Test
  void pipelined_requests_each_keep_their_own() throws Exception {
    try (TestServer t = TestServer.start(TYPES, c -> c); RawHttp connection = new RawHttp(t.server.port())) {
      connection.write("POST /1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Length: 1\r\n\r\na"
          + "GET /2 HTTP/1.1\r\nHost: x\r\n\r\n"
          + "POST /3 HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv; header=present\r\nContent-Length: 1\r\n\r\nb");

      assertThat(connection.read().body()).isEqualTo("[text/plain; charset=iso-8859-1]");
      assertThat(connection.read().body()).isEqualTo("[]");
      assertThat(connection.read().body()).isEqualTo("[text/csv; header=present]");
    }
  }
}
