package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestCerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.config.Settings;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request framing Pekko HTTP's parser reads leniently, each a request-smuggling primitive when a
 * proxy in front reads the same bytes differently: every one must get one 4xx answer, a closed
 * connection, and never reach the application, nor let anything behind it reach it.
 */
class RawFramingTest {
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
  private static final Queue<String> seen = new ConcurrentLinkedQueue<>();
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Application.of(r -> {
      seen.add(r.method() + " " + r.path());
      if (r.path().equals("/content-length")) {
        return Response.ok(r.header("Content-Length").orElse("none"));
      }
      return Response.ok(r.path() + " " + r.bodyAsString());
    }), c -> c);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void forget() {
    seen.clear();
  }

  private record Exchange(List<RawHttp.Reply> replies, boolean closed) {
    int firstStatus() {
      return replies.isEmpty() ? -1 : replies.get(0).status();
    }
  }

  /** Writes {@code bytes} at once and reads every answer until the server closes (or 5 s of silence). */
  private static Exchange send(String bytes) throws IOException {
    return send(new RawHttp(server.server.port()), bytes);
  }

  private static Exchange send(RawHttp raw, String bytes) throws IOException {
    try (RawHttp connection = raw) {
      connection.socket.setSoTimeout(5_000);
      connection.write(bytes);
      List<RawHttp.Reply> replies = new ArrayList<>();
      while (true) {
        try {
          replies.add(connection.read());
        } catch (SocketTimeoutException stillOpen) {
          return new Exchange(replies, false);
        } catch (IOException closed) {
          return new Exchange(replies, true);
        }
      }
    }
  }

  /** One answer, 4xx, connection closed, and the application saw nothing. */
  private static void assertRefused(String bytes, int status) throws IOException {
    Exchange exchange = send(bytes);
    assertThat(exchange.replies()).as("answers").hasSize(1);
    assertThat(exchange.firstStatus()).as("status").isEqualTo(status);
    assertThat(exchange.replies().get(0).headers()).containsEntry("connection", "close");
    assertThat(exchange.closed()).as("connection closed by the server").isTrue();
    assertThat(seen).as("requests the application saw").isEmpty();
  }

  @Test
  void a_content_length_too_long_for_64_bits_is_refused_and_its_wrapped_body_never_served() throws IOException {
    // 184467440737095516165 mod 2^64 is 5: a wrapping parser serves "hello" as the body
    assertRefused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 184467440737095516165\r\n\r\nhello", 400);
  }

  @Test
  void a_content_length_with_whitespace_inside_its_digits_is_refused() throws IOException {
    assertRefused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1 1\r\n\r\nhello world", 400);
  }

  @Test
  void an_empty_content_length_is_refused_and_the_bytes_after_it_never_run_as_a_request() throws IOException {
    assertRefused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n" + SMUGGLED, 400);
  }

  @Test
  void a_field_line_with_an_empty_name_is_refused() throws IOException {
    assertRefused("GET /a HTTP/1.1\r\nHost: x\r\n: x\r\n\r\n", 400);
  }

  @Test
  void a_folded_field_line_is_refused() throws IOException {
    assertRefused("GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  continued\r\n\r\n", 400);
  }

  @Test
  void whitespace_between_the_request_line_and_the_first_field_is_refused() throws IOException {
    assertRefused("GET /a HTTP/1.1\r\n X-A: 1\r\nHost: x\r\n\r\n", 400);
  }

  @Test
  void field_lines_ended_by_a_bare_lf_are_refused() throws IOException {
    assertRefused("GET /a HTTP/1.1\nHost: x\nX-A: 1\n\n", 400);
  }

  @Test
  void a_head_ended_by_a_bare_lf_after_crlf_fields_is_refused() throws IOException {
    assertRefused("GET /a HTTP/1.1\r\nHost: x\r\n\n", 400);
  }

  @Test
  void whitespace_between_a_field_name_and_the_colon_is_refused() throws IOException {
    assertRefused("GET /a HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n", 400);
  }

  @Test
  void a_cr_not_followed_by_lf_is_refused() throws IOException {
    assertRefused("GET /a HTTP/1.1\r\nHost: x\r\nX-A: 1\rX-B: 2\r\n\r\n", 400);
  }

  @Test
  void a_chunked_request_with_content_length_is_refused() throws IOException {
    assertRefused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "0\r\n\r\n" + SMUGGLED, 400);
  }

  @Test
  void a_bad_request_pipelined_behind_good_ones_is_refused_after_they_are_answered() throws IOException {
    Exchange exchange = send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
        + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
        + "POST /bad HTTP/1.1\r\nHost: x\r\nContent-Length: 1 1\r\n\r\nhello world" + SMUGGLED);

    assertThat(exchange.replies()).extracting(RawHttp.Reply::status).containsExactly(200, 200, 400);
    assertThat(exchange.closed()).isTrue();
    assertThat(seen).containsExactly("GET /one", "POST /two");
  }

  @Test
  void a_repeated_content_length_is_refused_even_with_the_same_value() throws IOException {
    assertRefused("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", 400);
  }

  @Test
  void bad_framing_inside_a_chunked_body_or_its_trailer_is_answered_400_and_never_lets_the_request_run()
      throws IOException {
    String head = "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n";
    for (String tail : List.of("0;\r\n\r\n", "5\t\r\nhello\r\n0\r\n\r\n", "5;e=\u0001x\r\nhello\r\n0\r\n\r\n",
        "5;e=\"open\r\nhello\r\n0\r\n\r\n", "5\rhello\r\n0\r\n\r\n", "0\r\nX-T: 1\u0000\r\n\r\n",
        "0\r\nTransfer-Encoding: chu\nnked\r\n\r\n", "0\r\nX-T: 1\r\n folded\r\n\r\n", "0\r\nBad Name: 1\r\n\r\n",
        "0\r\nX-T: 1\r\r\n\r\n", "0\r\n\n\r\n", "0\r\nX-T: 1\r\n\rx\r\n")) {
      Exchange exchange = send(head + tail + SMUGGLED);

      assertThat(exchange.replies()).as(tail).singleElement()
          .satisfies(reply -> assertThat(reply.status()).isEqualTo(400));
      assertThat(exchange.closed()).as(tail).isTrue();
      assertThat(seen).as(tail).isEmpty();
    }
  }

  @Test
  void an_absolute_form_target_with_a_scheme_other_than_http_is_answered_400() throws IOException {
    assertRefused("GET ftp://x/y HTTP/1.1\r\nHost: x\r\n\r\n", 400);
    assertThat(send("GET HTTP://x/y HTTP/1.1\r\nHost: x\r\n\r\n").firstStatus()).isEqualTo(200);
  }

  @Test
  void pipelined_valid_requests_are_all_answered_in_order() throws IOException {
    Exchange exchange = send("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
        + "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
        + "POST /three HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
        + "GET /four HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(exchange.replies()).extracting(RawHttp.Reply::body)
        .containsExactly("/one ", "/two hello", "/three abc", "/four ");
  }

  @Test
  void a_body_that_looks_like_a_bad_head_is_not_scanned_as_one() throws IOException {
    // each body holds what would be refused as a head: it must pass as the body it is
    String bad = "\r\n\r\nGET /x HTTP/1.1\nHost : y\r\n: z\r\n folded\r\n\r\n";
    String chunked = Integer.toHexString(bad.length()) + "\r\n" + bad + "\r\n0\r\nX-Trailer: 1\r\n\r\n";
    Exchange exchange = send("POST /cl HTTP/1.1\r\nHost: x\r\nContent-Length: " + bad.length() + "\r\n\r\n" + bad
        + "POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
        + "GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(exchange.replies()).extracting(RawHttp.Reply::body)
        .containsExactly("/cl " + bad, "/chunked " + bad, "/last ");
  }

  @Test
  void a_large_body_written_in_many_pieces_is_served_whole() throws IOException {
    String body = "0123456789abcdef\r\n\r\n".repeat(50_000); // 1 MB, with head-like bytes throughout
    try (RawHttp connection = new RawHttp(server.server.port())) {
      connection.write("POST /big HTTP/1.1\r\nHost: x\r\nContent-Le");
      connection.write("ngth: " + body.length() + "\r\n\r");
      connection.write("\n" + body.substring(0, 1000));
      connection.write(body.substring(1000));
      RawHttp.Reply reply = connection.read();
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("/big " + body);
    }
  }

  @Test
  void an_https_bind_refuses_the_same_framing_inside_tls(@TempDir Path dir) throws Exception {
    Path[] pem = TestCerts.server(dir, "server", TestCerts.KeyKind.EC_PKCS8);
    try (TestServer tls = TestServer.start(Application.of(r -> {
      seen.add(r.method() + " " + r.path());
      return Response.ok(r.path());
    }), c -> c.with(Settings.KEYFILE, Optional.of(pem[0])).with(Settings.CERTFILE, Optional.of(pem[1])))) {
      Socket socket = TestCerts.trusting(pem[1]).getSocketFactory().createSocket("127.0.0.1", tls.server.port());

      Exchange exchange = send(new RawHttp(socket), "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n" + SMUGGLED);

      assertThat(exchange.replies()).extracting(RawHttp.Reply::status).containsExactly(400);
      assertThat(exchange.closed()).isTrue();
      assertThat(seen).isEmpty();
    }
  }

  @Test
  void an_http1_connection_on_a_bind_with_http2_on_refuses_the_same_framing() throws Exception {
    try (TestServer h2c = TestServer.start(Application.of(r -> {
      seen.add(r.method() + " " + r.path());
      return Response.ok(r.path());
    }), c -> c.with(Settings.HTTP2_CLEARTEXT, true))) {
      Exchange exchange = send(new RawHttp(h2c.server.port()),
          "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n\r\n" + SMUGGLED);

      assertThat(exchange.replies()).extracting(RawHttp.Reply::status).containsExactly(400);
      assertThat(exchange.closed()).isTrue();
      assertThat(seen).isEmpty();
    }
  }

  @Test
  void a_get_with_content_length_zero_shows_the_field_to_the_application() throws IOException {
    Exchange exchange = send("GET /content-length HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"
        + "GET /content-length HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(exchange.replies()).extracting(RawHttp.Reply::body).containsExactly("0", "none");
  }

  /** The head is held until complete; what cannot start one must not wait for it (nor for header-timeout). */
  @Test
  void a_line_that_is_no_request_line_is_refused_without_waiting_for_the_rest_of_a_head() throws IOException {
    assertRefused("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n", 400);
  }

  @Test
  void an_empty_line_before_the_request_line_is_ignored() throws IOException {
    Exchange exchange = send("\r\nGET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

    assertThat(exchange.replies()).extracting(RawHttp.Reply::status).containsExactly(200);
  }
}
