package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Response;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BufferingTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private ServletApp app(Bridge.Body body) throws Exception {
    return bridge.start(ServletApp.builder().servlet("s", Bridge.servlet(body), "/*"));
  }

  @Test
  void the_response_is_not_committed_until_the_buffer_overflows() throws Exception {
    Response r = Bridge.get(app((req, resp) -> {
      resp.setBufferSize(16);
      resp.getOutputStream().write(new byte[16]);
      boolean before = resp.isCommitted();
      resp.getOutputStream().write(1);
      resp.setStatus(418); // ignored: already committed
      resp.setHeader("X-Late", "ignored");
      resp.setHeader("X-Seen", before + "," + resp.isCommitted());
    }), "/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).hasSize(17);
    assertThat(r.header("X-Late")).isEmpty();
  }

  @Test
  void flush_buffer_commits_and_reset_then_fails() throws Exception {
    assertThatThrownBy(() -> Bridge.get(app((req, resp) -> {
      resp.getWriter().print("x");
      resp.flushBuffer();
      resp.reset();
    }), "/")).isInstanceOf(IllegalStateException.class).hasMessageContaining("committed");
  }

  @Test
  void reset_before_the_commit_clears_status_headers_and_body() throws Exception {
    Response r = Bridge.get(app((req, resp) -> {
      resp.setStatus(500);
      resp.setHeader("X-Gone", "1");
      resp.getWriter().print("first");
      resp.reset();
      resp.getOutputStream().print("second");
    }), "/");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("X-Gone")).isEmpty();
    assertThat(r.bodyAsString()).isEqualTo("second");
  }

  @Test
  void reset_buffer_keeps_status_and_headers() throws Exception {
    Response r = Bridge.get(app((req, resp) -> {
      resp.setStatus(201);
      resp.setHeader("X-Kept", "1");
      resp.getWriter().print("first");
      resp.resetBuffer();
      resp.getWriter().print("second");
    }), "/");

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.header("X-Kept")).contains("1");
    assertThat(r.bodyAsString()).isEqualTo("second");
  }

  @Test
  void the_writer_uses_the_charset_and_puts_it_in_the_content_type() throws Exception {
    Response r = Bridge.get(app((req, resp) -> {
      resp.setContentType("text/html");
      resp.setCharacterEncoding("UTF-8");
      resp.getWriter().print("crème 😀");
    }), "/");

    assertThat(r.header("Content-Type")).contains("text/html;charset=UTF-8");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("crème 😀");
  }

  @Test
  void the_default_charset_is_iso_8859_1_as_the_spec_says() throws Exception {
    Response r = Bridge.get(app((req, resp) -> {
      resp.setContentType("text/plain");
      resp.getWriter().print("é");
    }), "/");

    assertThat(r.header("Content-Type")).contains("text/plain;charset=ISO-8859-1");
    assertThat(r.body()).containsExactly(0xE9);
  }

  @Test
  void the_content_type_s_charset_sets_the_encoding() throws Exception {
    Response r = Bridge.get(app((req, resp) -> {
      resp.setContentType("application/json; charset=utf-8");
      resp.getWriter().print(resp.getCharacterEncoding());
    }), "/");

    assertThat(r.bodyAsString()).isEqualTo("utf-8");
  }

  @Test
  void the_stream_and_the_writer_exclude_each_other() throws Exception {
    assertThatThrownBy(() -> Bridge.get(app((req, resp) -> {
      resp.getOutputStream();
      resp.getWriter();
    }), "/")).hasMessageContaining("getOutputStream() was already called");
  }

  @Test
  void writing_the_declared_content_length_completes_the_response() throws Exception {
    Response r = Bridge.get(app((req, resp) -> {
      resp.setContentLength(5);
      resp.getOutputStream().print("hello");
      resp.setHeader("X-After", String.valueOf(resp.isCommitted()));
      resp.getOutputStream().print(" world");
    }), "/");

    assertThat(r.bodyAsString()).isEqualTo("hello");
    assertThat(r.header("X-After")).isEmpty();
    assertThat(r.header("Content-Length")).isEmpty(); // Narwhal computes it from the body
  }
}
