package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Named.named;

import dev.narwhal.Server;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request-smuggling shapes over a raw socket: each bad message, with a valid request pipelined
 * behind it in the same write, must get a 4xx/5xx and a closed connection, and the pipelined request
 * must never be answered 2xx (that would mean the server framed the bad message differently from
 * the way a strict front proxy would, and ran a request the proxy never saw).
 */
class RequestFramingIntegrationTest {
  /** Bounds every read: the server answers bad framing immediately, so this is only a hang guard. */
  private static final int READ_TIMEOUT_MS = 5_000;
  private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n";
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

  private static Server server;

  @BeforeAll
  static void start() throws Exception {
    server = Server.start(
        ServerConfig.defaults().withBinds(List.of(BindAddress.parse("127.0.0.1:0"))).withWorkers(2)
            .with(Settings.ADMIN_BIND, Optional.of(BindAddress.parse("127.0.0.1:0"))), EchoApp::new);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.stop(Duration.ZERO).toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  static Stream<Arguments> badShapes() {
    return Stream.of(
        shape("Content-Length then Transfer-Encoding",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        shape("Transfer-Encoding then Content-Length",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
        shape("two different Content-Lengths",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"),
        shape("Content-Length list of different values",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\nhello!"),
        shape("non-numeric Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n"),
        shape("negative Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"),
        shape("signed Content-Length", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello"),
        shape("Content-Length beyond 63 bits",
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
        shape("unknown transfer coding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n"),
        shape("chunked not the final coding",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n"),
        shape("chunked twice", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        shape("quoted transfer coding",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n0\r\n\r\n"),
        shape("empty Transfer-Encoding", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n0\r\n\r\n"),
        shape("Transfer-Encoding in HTTP/1.0",
            "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
        shape("chunk size not hex", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "zz\r\nhello\r\n0\r\n\r\n"),
        shape("chunk size with 0x prefix", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "0x5\r\nhello\r\n0\r\n\r\n"),
        shape("negative chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "-5\r\nhello\r\n0\r\n\r\n"),
        shape("chunk data longer than its size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "3\r\nhello\r\n0\r\n\r\n"),
        shape("whitespace before the colon",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
        shape("field line without a colon", "GET / HTTP/1.1\r\nHost: a\r\nFoobar\r\n\r\n"),
        shape("field line starting with whitespace", "GET / HTTP/1.1\r\n Host: a\r\nHost: a\r\n\r\n"),
        shape("bare CR in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"),
        shape("NUL in a field value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u0000b\r\n\r\n"),
        shape("HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n"),
        shape("two Hosts", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        shape("invalid Host in HTTP/1.1", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"),
        shape("invalid Host in HTTP/1.0", "GET / HTTP/1.0\r\nHost: a b\r\n\r\n"),
        shape("empty Host", "GET / HTTP/1.1\r\nHost:\r\n\r\n"),
        shape("asterisk-form with GET", "GET * HTTP/1.1\r\nHost: a\r\n\r\n"),
        shape("bare LF inside the request line", "GET\n/\nHTTP/1.1\r\n\r\n"));
  }

  private static Arguments shape(String name, String request) {
    return Arguments.of(named(name, request));
  }

  @ParameterizedTest
  @MethodSource("badShapes")
  void a_bad_message_is_rejected_and_nothing_behind_it_runs(String request) throws IOException {
    Exchange exchange = send(request + SMUGGLED);

    assertThat(exchange.statuses()).as("statuses answered").isNotEmpty();
    assertThat(exchange.statuses().get(0)).as("first status").isBetween(400, 599);
    assertThat(exchange.statuses()).as("no 2xx for the pipelined request").noneMatch(s -> s >= 200 && s < 300);
    assertThat(exchange.closed()).as("connection closed by the server").isTrue();
  }

  /**
   * Pekko scans up to max-method-length bytes for the SP after an unknown method, across CR and LF;
   * sent alone (nothing pipelined to fill the scan), this line must still be answered, not left
   * waiting for idle-timeout.
   */
  @Test
  void a_request_line_with_bare_lf_separators_is_rejected_at_once() throws IOException {
    Exchange exchange = send("GET\n/\nHTTP/1.1\r\n\r\n");

    assertThat(exchange.statuses()).first().satisfies(s -> assertThat(s).isBetween(400, 599));
    assertThat(exchange.closed()).as("connection closed by the server").isTrue();
  }

  /** The control: the same pipelining does get both requests answered when the first is valid. */
  @Test
  void a_valid_message_with_one_pipelined_behind_it_gets_two_answers() throws IOException {
    String valid = "POST /first HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello";
    String last = "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

    Exchange exchange = send(valid + last);

    assertThat(exchange.statuses()).containsExactly(200, 200);
    assertThat(exchange.text()).contains("\"path\":\"/first\"").contains("\"path\":\"/last\"");
  }

  private record Exchange(List<Integer> statuses, boolean closed, String text) {}

  /** Writes the bytes in one go and reads until the server closes, or the read timeout passes. */
  private static Exchange send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      boolean closed = readUntilClosed(socket.getInputStream(), received);
      String text = received.toString(StandardCharsets.ISO_8859_1);
      return new Exchange(statuses(text), closed, text);
    }
  }

  private static boolean readUntilClosed(InputStream in, ByteArrayOutputStream received) throws IOException {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        received.write(buffer, 0, n);
      }
      return true;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      // a reset after the answer is a close too (the server dropped bytes it did not read)
      return true;
    }
  }

  /**
   * The status of each response in the stream, in order. Narwhal's responses always carry a
   * Content-Length (the echo's JSON body does not end in a newline, so the next status line is not
   * at a line start); a head without one ends the stream.
   */
  private static List<Integer> statuses(String text) {
    List<Integer> statuses = new ArrayList<>();
    int pos = 0;
    while (pos < text.length()) {
      Matcher status = STATUS_LINE.matcher(text).region(pos, text.length());
      int headEnd = text.indexOf("\r\n\r\n", pos);
      if (!status.lookingAt() || headEnd < 0) {
        break;
      }
      statuses.add(Integer.parseInt(status.group(1)));
      Matcher length = CONTENT_LENGTH.matcher(text.substring(pos, headEnd));
      if (!length.find()) {
        break;
      }
      pos = headEnd + 4 + Integer.parseInt(length.group(1));
    }
    return statuses;
  }
}
