package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Header;
import dev.narwhal.Response;
import jakarta.servlet.http.Cookie;
import java.util.Collections;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadersAndCookiesTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  @Test
  void request_headers_are_found_whatever_their_case_and_repeats_are_kept() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("h", Bridge.servlet((req, resp) -> resp.getWriter().print(
        req.getHeader("x-tag") + "|" + Collections.list(req.getHeaders("X-TAG")) + "|"
            + req.getIntHeader("X-Count") + "|" + req.getDateHeader("If-Modified-Since") + "|"
            + req.getDateHeader("X-Absent") + "|" + Collections.list(req.getHeaderNames()))), "/*"));

    Response r = app.handle(Bridge.request("GET", "/").header("X-Tag", "a").header("x-tag", "b")
        .header("X-Count", "42").header("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT").build());

    assertThat(r.bodyAsString()).isEqualTo("a|[a, b]|42|784111777000|-1|[Host, X-Tag, X-Count, If-Modified-Since]");
  }

  @Test
  void request_cookies_are_parsed_with_quotes_removed() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("c", Bridge.servlet((req, resp) -> {
      StringBuilder sb = new StringBuilder();
      for (Cookie c : req.getCookies()) {
        sb.append(c.getName()).append('=').append(c.getValue()).append(';');
      }
      resp.getWriter().print(sb);
    }), "/*"));

    Response r = app.handle(Bridge.request("GET", "/").header("Cookie", "a=1; b=\"two\"").header("Cookie", "c=3").build());
    assertThat(r.bodyAsString()).isEqualTo("a=1;b=two;c=3;");
  }

  @Test
  void response_cookies_carry_their_attributes_including_same_site() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("c", Bridge.servlet((req, resp) -> {
      Cookie c = new Cookie("theme", "dark");
      c.setPath("/");
      c.setHttpOnly(true);
      c.setSecure(true);
      c.setAttribute("SameSite", "Strict");
      resp.addCookie(c);
      Cookie gone = new Cookie("old", "");
      gone.setMaxAge(0);
      resp.addCookie(gone);
    }), "/*"));

    Response r = Bridge.get(app, "/");
    var cookies = r.headers().stream().filter(h -> h.is("Set-Cookie")).map(Header::value).toList();
    assertThat(cookies).hasSize(2);
    assertThat(cookies.get(0)).startsWith("theme=dark; ").contains("; Path=/", "; HttpOnly", "; Secure", "; SameSite=Strict");
    assertThat(cookies.get(1)).isEqualTo("old=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
  }

  @Test
  void response_headers_are_set_added_and_found_case_insensitively() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("h", Bridge.servlet((req, resp) -> {
      resp.setHeader("X-One", "1");
      resp.setHeader("x-one", "2");
      resp.addHeader("X-Many", "a");
      resp.addHeader("X-Many", "b");
      resp.setIntHeader("X-Int", 7);
      resp.setDateHeader("Last-Modified", 784111777000L);
      resp.setHeader("X-Seen", resp.containsHeader("X-MANY") + "," + resp.getHeaders("x-many"));
    }), "/*"));

    Response r = Bridge.get(app, "/");
    assertThat(r.headers()).extracting(Header::value).contains("2", "a", "b", "7", "true,[a, b]");
    assertThat(r.headers().stream().filter(h -> h.is("X-One")).count()).isEqualTo(1);
    assertThat(r.header("Last-Modified")).contains("Sun, 06 Nov 1994 08:49:37 GMT");
  }

  @Test
  void json_written_through_get_writer_is_utf_8_as_its_content_type_says() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("j", Bridge.servlet((req, resp) -> {
      resp.setContentType(req.getPathInfo() == null || req.getPathInfo().equals("/") ? "application/json"
          : "application/problem+json");
      resp.getWriter().print("{\"name\":\"Zo\u00eb\"}");
    }), "/*"));

    for (String path : new String[] {"/", "/problem"}) {
      Response response = Bridge.get(app, path);
      assertThat(response.body()).isEqualTo("{\"name\":\"Zo\u00eb\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertThat(response.header("Content-Type").orElseThrow()).containsIgnoringCase("json");
    }
    // a charset the servlet asks for still wins
    ServletApp latin = bridge.start(ServletApp.builder().servlet("l", Bridge.servlet((req, resp) -> {
      resp.setContentType("application/json;charset=ISO-8859-1");
      resp.getWriter().print("\u00eb");
    }), "/*"));
    assertThat(Bridge.get(latin, "/").body()).isEqualTo(new byte[] {(byte) 0xeb});
  }
}
