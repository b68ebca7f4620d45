package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Request;
import dev.narwhal.servlet.internal.HttpText;
import jakarta.servlet.http.Cookie;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Where a servlet moved from Tomcat or Jetty would notice a difference, and now does not. */
class TomcatParityTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  @Test
  void http_dates_are_written_with_a_two_digit_day_and_read_in_all_three_forms() {
    long may5 = Instant.parse("2026-05-05T08:09:10Z").toEpochMilli();

    assertThat(HttpText.formatDate(may5)).isEqualTo("Tue, 05 May 2026 08:09:10 GMT");
    assertThat(HttpText.parseDate("Tue, 05 May 2026 08:09:10 GMT")).isEqualTo(may5);
    assertThat(HttpText.parseDate("Tuesday, 05-May-26 08:09:10 GMT")).isEqualTo(may5);
    assertThat(HttpText.parseDate("Tue May  5 08:09:10 2026")).isEqualTo(may5);
  }

  @Test
  void a_cookie_value_that_would_add_an_attribute_is_refused_as_tomcat_refuses_it() {
    assertThatThrownBy(() -> HttpText.setCookie(new Cookie("spaced", "a b;HttpOnly=false")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("may not hold");
    Cookie path = new Cookie("p", "v");
    path.setPath("/x; Domain=evil.example");
    assertThatThrownBy(() -> HttpText.setCookie(path)).isInstanceOf(IllegalArgumentException.class);
    assertThat(HttpText.setCookie(new Cookie("quoted", "\"a-b.c\""))).startsWith("quoted=\"a-b.c\"");
    // what Tomcat takes: base64, Latin-1 letters; nothing past U+00FF, which a byte-wide header would turn into LF
    assertThat(HttpText.setCookie(new Cookie("token", "aGk/+w=="))).startsWith("token=aGk/+w==");
    assertThat(HttpText.setCookie(new Cookie("city", "Z\u00fcrich"))).startsWith("city=Z\u00fcrich");
    assertThatThrownBy(() -> HttpText.setCookie(new Cookie("wide", "a\u010Ab"))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rfc_2109_dollar_attributes_are_not_cookies() {
    assertThat(HttpText.parseCookies(java.util.List.of("$Version=1; a=1; $Path=/; $own=2")))
        .extracting(Cookie::getName).containsExactly("a", "$own");
  }

  @Test
  void a_put_form_is_not_read_as_parameters_and_a_request_without_a_length_reports_minus_one() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("p", Bridge.servlet((req, resp) ->
        resp.getWriter().print(req.getParameter("a") + " " + req.getContentLengthLong() + " " + req.getContentLength())), "/*"));

    Request put = Bridge.request("PUT", "/").header("Content-Type", "application/x-www-form-urlencoded")
        .header("Content-Length", "3").body("a=1").build();
    assertThat(app.handle(put).bodyAsString()).isEqualTo("null 3 3");
    assertThat(app.handle(Bridge.request("GET", "/").build()).bodyAsString()).isEqualTo("null -1 -1");
  }

  @Test
  void the_context_path_without_its_slash_is_redirected_to_the_apps_root() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().contextPath("/shop")
        .servlet("home", Bridge.servlet((req, resp) -> resp.getWriter().print("home")), "/"));

    dev.narwhal.Response bare = app.handle(Bridge.request("GET", "/shop?x=1").build());
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.header("Location")).hasValue("/shop/?x=1");
    assertThat(Bridge.get(app, "/shop/").bodyAsString()).isEqualTo("home");
  }

  @Test
  void a_servlet_mapped_to_everything_takes_the_bare_context_path_without_a_redirect() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().contextPath("/api")
        .servlet("rest", Bridge.servlet((req, resp) -> resp.getWriter().print(req.getMethod() + " served")), "/*"));

    assertThat(app.handle(Bridge.request("POST", "/api").build()).bodyAsString()).isEqualTo("POST served");
  }

  @Test
  void a_dispatcher_path_is_canonical_too_and_none_reaches_above_the_root() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("admin", Bridge.servlet((req, resp) -> resp.getWriter().print("admin " + req.getServletPath())), "/admin/*")
        .servlet("public", Bridge.servlet((req, resp) -> {
          jakarta.servlet.RequestDispatcher up = req.getRequestDispatcher("/../etc/passwd");
          resp.getWriter().print((up == null ? "none" : "some") + "; ");
          req.getRequestDispatcher("/public/../admin/x").include(req, resp);
        }), "/public/*"));

    // the admin servlet ran; an include keeps the including request's own servlet path
    assertThat(Bridge.get(app, "/public/page").bodyAsString()).isEqualTo("none; admin /public");
  }
}
