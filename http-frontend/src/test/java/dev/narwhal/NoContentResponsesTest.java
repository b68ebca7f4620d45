package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.Settings;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestCerts;
import dev.narwhal.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * 204, 205 and 304 carry no content (RFC 9110 section 15). A body the application gives one anyway
 * is dropped, as Jetty and Tomcat drop it, and the answer goes out. Pekko refuses to build such a
 * response, and the connection used to end without any answer at all.
 */
class NoContentResponsesTest {
  private static final Application STATUS_FROM_PATH =
      Application.of(r -> Response.text(Integer.parseInt(r.path().substring(1)), "a body"));

  @Test
  void a_body_given_to_a_204_205_or_304_is_dropped_and_the_connection_goes_on() throws Exception {
    try (TestServer t = TestServer.start(STATUS_FROM_PATH, c -> c);
        RawHttp connection = new RawHttp(t.server.port())) {
      for (int status : new int[] {204, 205, 304}) {
        RawHttp.Reply reply = connection.send("GET /" + status + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(reply.status()).isEqualTo(status);
        assertThat(reply.body()).isEmpty();
      }
      RawHttp.Reply after = connection.send("GET /200 HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(after.status()).isEqualTo(200);
      assertThat(after.body()).isEqualTo("a body");
    }
  }

  @Test
  void a_205_says_content_length_0_so_the_pipelined_answer_after_it_is_read_as_its_own() throws Exception {
    try (TestServer t = TestServer.start(STATUS_FROM_PATH, c -> c);
        RawHttp connection = new RawHttp(t.server.port())) {
      connection.write("GET /205 HTTP/1.1\r\nHost: x\r\n\r\nGET /200 HTTP/1.1\r\nHost: x\r\n\r\n");
      RawHttp.Reply reset = connection.read();
      assertThat(reset.status()).isEqualTo(205);
      assertThat(reset.headers()).containsEntry("content-length", "0");
      RawHttp.Reply next = connection.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("a body");
    }
  }

  @Test
  void a_head_over_http2_gets_the_get_s_length_and_no_content() throws Exception {
    try (TestServer t = TestServer.start(STATUS_FROM_PATH, c -> c.with(Settings.HTTP2_CLEARTEXT, true))) {
      TestCerts.Result head = RawHttp2.curl(t, "-I", "/200");
      assertThat(head.status()).as(head.output()).isZero();
      assertThat(head.output()).startsWith("HTTP/2 200").containsIgnoringCase("content-length: 6");
    }
  }

  @Test
  void a_head_over_http2_that_the_server_refuses_gets_the_refusal_s_status_and_no_content() throws Exception {
    try (TestServer t = TestServer.start(STATUS_FROM_PATH, c -> c.with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.LIMIT_REQUEST_LINE, 20))) {
      TestCerts.Result head = RawHttp2.curl(t, "-I", "/" + "x".repeat(40));
      assertThat(head.status()).as(head.output()).isZero();
      assertThat(head.output()).startsWith("HTTP/2 414");
    }
  }
}
