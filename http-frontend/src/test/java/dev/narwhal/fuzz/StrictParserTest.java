package dev.narwhal.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The fuzzer's oracle: what it calls ambiguous framing, and what it lets through. */
class StrictParserTest {
  private static StrictParser.Verdict parse(String text) {
    return StrictParser.parse(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void a_content_length_body_and_a_chunked_body_are_read_whole() {
    StrictParser.Verdict verdict = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
        + "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3;a=\"b\"\r\nabc\r\n1\r\nd\r\n0\r\nT: 1\r\n\r\n");

    assertThat(verdict.clean()).isTrue();
    assertThat(verdict.requests()).extracting(r -> new String(r.body(), StandardCharsets.ISO_8859_1))
        .containsExactly("hello", "abcd");
  }

  @Test
  void empty_lines_before_a_request_line_are_skipped() {
    assertThat(parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n\r\n").requests()).hasSize(1);
  }

  @Test
  void bytes_that_stop_inside_a_message_are_incomplete_not_an_error() {
    StrictParser.Verdict verdict = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 9\r\n\r\nhello");

    assertThat(verdict.incomplete()).isTrue();
    assertThat(verdict.framingError()).isNull();
    assertThat(verdict.requests()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "cl-not-digits              | Content-Length: 1 1",
      "cl-not-digits              | Content-Length: +5",
      "cl-empty                   | Content-Length:",
      "cl-overflow                | Content-Length: 99999999999999999999",
      "cl-repeated                | Content-Length: 0\\r\\nContent-Length: 0",
      "obs-fold                   | X-A: 1\\r\\n b",
      "field-name-empty           | : v",
      "field-name-ws-before-colon | X-A : 1",
      "field-no-colon             | X-A",
      "bare-lf-in-field-line      | X-A: 1\\n",
      "bare-cr-in-field-line      | X-A: 1\\rX-B: 2",
      "te-value                   | Transfer-Encoding: chunked, chunked",
      "te-value                   | Transfer-Encoding: xchunked",
      "te-and-cl                  | Transfer-Encoding: chunked\\r\\nContent-Length: 5",
  })
  void a_framing_field_out_of_the_rfc_is_a_framing_error(String kind, String field) {
    String request = "POST / HTTP/1.1\r\nHost: h\r\n" + field.replace("\\r", "\r").replace("\\n", "\n") + "\r\n\r\nhello";

    assertThat(parse(request).framingError()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "chunk-size          | zz\\r\\nabc\\r\\n0\\r\\n\\r\\n",
      "chunk-size-overflow | 10000000000000000\\r\\n",
      "chunk-ext           | 3 x\\r\\nabc\\r\\n0\\r\\n\\r\\n",
      "chunk-data-crlf     | 3\\r\\nabcd\\r\\n0\\r\\n\\r\\n",
  })
  void a_malformed_chunk_is_a_framing_error(String kind, String chunks) {
    String request = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        + chunks.replace("\\r", "\r").replace("\\n", "\n");

    assertThat(parse(request).framingError()).isEqualTo(kind);
  }

  @Test
  void transfer_encoding_in_http_1_0_is_a_framing_error() {
    assertThat(parse("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").framingError())
        .isEqualTo("te-in-http10");
  }

  @Test
  void whitespace_runs_in_the_request_line_and_a_missing_host_are_noted_not_refused() {
    StrictParser.Verdict verdict = parse("GET  /\tHTTP/1.1\r\n\r\n");

    assertThat(verdict.clean()).isTrue();
    assertThat(verdict.requests().get(0).notes()).containsExactly("request-line-whitespace", "host");
  }

  @Test
  void the_requests_before_a_framing_error_stand() {
    StrictParser.Verdict verdict = parse("GET / HTTP/1.1\r\nHost: h\r\n\r\nGET / HTTP/1.1\r\nHost : h\r\n\r\n");

    assertThat(verdict.requests()).hasSize(1);
    assertThat(verdict.framingError()).isEqualTo("field-name-ws-before-colon");
  }
}
