package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Request;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParametersTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private ServletApp echoParameters() throws Exception {
    return bridge.start(ServletApp.builder().characterEncoding("UTF-8").servlet("p", Bridge.servlet((req, resp) -> {
      StringBuilder sb = new StringBuilder();
      for (String name : Collections.list(req.getParameterNames())) {
        sb.append(name).append('=').append(Arrays.toString(req.getParameterValues(name))).append(';');
      }
      sb.append("first:").append(req.getParameter("a"));
      resp.getWriter().print(sb);
    }), "/*"));
  }

  @Test
  void query_parameters_keep_their_order_and_repeated_names() throws Exception {
    assertThat(Bridge.get(echoParameters(), "/?a=1&b=x+y&a=2&c=%C3%A9&flag").bodyAsString())
        .isEqualTo("a=[1, 2];b=[x y];c=[é];flag=[];first:1");
  }

  @Test
  void an_urlencoded_form_body_adds_its_parameters_after_the_query_s() throws Exception {
    Request post = Bridge.request("POST", "/?a=q").header("Content-Type", "application/x-www-form-urlencoded")
        .body("a=f1&d=%26amp&a=f2").build();

    assertThat(echoParameters().handle(post).bodyAsString()).isEqualTo("a=[q, f1, f2];d=[&amp];first:q");
  }

  @Test
  void a_body_of_another_type_is_not_read_as_parameters() throws Exception {
    Request post = Bridge.request("POST", "/").header("Content-Type", "application/json").body("a=1").build();

    assertThat(echoParameters().handle(post).bodyAsString()).isEqualTo("first:null");
  }

  @Test
  void the_form_body_is_decoded_with_the_declared_charset() throws Exception {
    Request post = Bridge.request("POST", "/").header("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1")
        .body("a=%E9t%E9").build();

    assertThat(echoParameters().handle(post).bodyAsString()).isEqualTo("a=[été];first:été");
  }

  @Test
  void the_body_stream_gives_the_bytes_and_content_length_and_type_are_reported() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("s", Bridge.servlet((req, resp) -> {
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      req.getInputStream().transferTo(copy);
      resp.getOutputStream().print(req.getContentLength() + " " + req.getContentType() + " " + copy);
    }), "/*"));

    Request post = Bridge.request("PUT", "/").header("Content-Type", "text/plain").body("hello body").build();
    assertThat(app.handle(post).bodyAsString()).isEqualTo("10 text/plain hello body");
  }

  @Test
  void the_reader_decodes_the_body_with_the_request_s_encoding() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().characterEncoding("UTF-8").servlet("s", Bridge.servlet((req, resp) -> {
      resp.getWriter().print(req.getCharacterEncoding() + ":" + req.getReader().readLine());
    }), "/*"));

    Request post = Bridge.request("POST", "/").header("Content-Type", "text/plain; charset=UTF-8").body("naïve").build();
    assertThat(app.handle(post).bodyAsString()).isEqualTo("UTF-8:naïve");
  }

  @Test
  void after_the_stream_was_read_the_form_is_no_longer_parsed_into_parameters() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("s", Bridge.servlet((req, resp) -> {
      String raw = new String(req.getInputStream().readAllBytes());
      resp.getWriter().print(raw + "|" + req.getParameter("a") + "|" + req.getParameter("q"));
    }), "/*"));

    Request post = Bridge.request("POST", "/?q=1").header("Content-Type", "application/x-www-form-urlencoded")
        .body("a=1").build();
    assertThat(app.handle(post).bodyAsString()).isEqualTo("a=1|null|1");
  }
}
