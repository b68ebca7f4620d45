package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A body the application gives no Content-Type goes without one, as gunicorn, Tomcat and Jetty send
 * it: a made-up application/octet-stream makes a browser download a page it would have shown.
 */
class ResponseWithoutTypeTest {
  private static final Application PAGES = Application.of(r -> r.path().equals("/typed")
      ? Response.status(200).contentType("text/html; charset=utf-8").body("<p>typed</p>".getBytes(StandardCharsets.UTF_8))
      : Response.status(200).body("<p>untyped</p>".getBytes(StandardCharsets.UTF_8)));

  @Test
  void a_body_without_a_type_is_sent_without_one_and_a_typed_one_keeps_its_type() throws Exception {
    try (TestServer t = TestServer.start(PAGES, c -> c); RawHttp connection = new RawHttp(t.server.port())) {
      RawHttp.Reply untyped = connection.send("GET /untyped HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(untyped.body()).isEqualTo("<p>untyped</p>");
      assertThat(untyped.headers()).doesNotContainKey("content-type").containsEntry("content-length", "14");

      RawHttp.Reply typed = connection.send("GET /typed HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(typed.headers()).containsEntry("content-type", "text/html; charset=UTF-8");
    }
  }
}
