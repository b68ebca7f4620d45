package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Response;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedirectsAndErrorPagesTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private ServletApp redirecting(String location) throws Exception {
    return bridge.start(ServletApp.builder().contextPath("/app").servlet("r", Bridge.servlet((req, resp) -> {
      resp.getWriter().print("dropped");
      resp.sendRedirect(location);
      resp.getWriter().print("ignored after the redirect");
    }), "/*"));
  }

  @Test
  void a_redirect_is_a_302_with_an_absolute_location_and_no_body() throws Exception {
    Response r = Bridge.get(redirecting("/app/login?next=%2F"), "/app/orders/7");

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.header("Location")).contains("http://example.test:8080/app/login?next=%2F");
    assertThat(r.bodyAsString()).isEmpty();
  }

  @Test
  void a_relative_redirect_resolves_against_the_request_uri() throws Exception {
    assertThat(Bridge.get(redirecting("../cart"), "/app/orders/7").header("Location"))
        .contains("http://example.test:8080/app/cart");
    assertThat(Bridge.get(redirecting("https://other.test/x"), "/app/y").header("Location"))
        .contains("https://other.test/x");
  }

  @Test
  void a_redirect_may_choose_its_status() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("r", Bridge.servlet((req, resp) ->
        resp.sendRedirect("/moved", 301)), "/*"));

    assertThat(Bridge.get(app, "/old").statusCode()).isEqualTo(301);
  }

  @Test
  void send_error_without_an_error_page_answers_a_plain_body_with_the_message() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("e", Bridge.servlet((req, resp) -> {
      resp.getWriter().print("lost");
      resp.sendError(403, "no entry");
    }), "/*"));

    Response r = Bridge.get(app, "/");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.bodyAsString()).isEqualTo("no entry\n");
    assertThat(r.header("Content-Type")).contains("text/plain;charset=UTF-8");
  }

  @Test
  void send_error_renders_the_error_page_for_its_status_with_the_error_attributes() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("e", Bridge.servlet((req, resp) -> resp.sendError(404, "no such order")), "/orders/*")
        .servlet("page", Bridge.servlet((req, resp) -> resp.getWriter().print(
            req.getDispatcherType() + " " + req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) + " "
                + req.getAttribute(RequestDispatcher.ERROR_MESSAGE) + " "
                + req.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + " "
                + req.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME))), "/not-found")
        .errorPage(404, "/not-found"));

    Response r = Bridge.get(app, "/orders/9");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsString()).isEqualTo("ERROR 404 no such order /orders/9 e");
  }

  @Test
  void an_unmapped_path_gets_the_404_error_page_too() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("page", Bridge.servlet((req, resp) -> resp.getWriter().print("custom 404")), "/not-found")
        .errorPage(404, "/not-found"));

    Response r = Bridge.get(app, "/nowhere");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsString()).isEqualTo("custom 404");
  }

  @Test
  void an_exception_renders_the_page_for_its_type_with_status_500() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("boom", Bridge.servlet((req, resp) -> {
          throw new IllegalArgumentException("bad id");
        }), "/boom")
        .servlet("page", Bridge.servlet((req, resp) -> resp.getWriter().print("oops: "
            + ((Throwable) req.getAttribute(RequestDispatcher.ERROR_EXCEPTION)).getMessage())), "/oops")
        .errorPage(IllegalArgumentException.class, "/oops"));

    Response r = Bridge.get(app, "/boom");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.bodyAsString()).isEqualTo("oops: bad id");
  }

  @Test
  void an_exception_without_an_error_page_goes_on_to_narwhal_which_answers_500() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("boom", Bridge.servlet((req, resp) -> {
      throw new IllegalStateException("broken");
    }), "/*"));

    assertThatThrownBy(() -> Bridge.get(app, "/")).hasMessageContaining("broken");
  }

  @Test
  void send_error_after_the_commit_fails() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().servlet("late", Bridge.servlet((req, resp) -> {
      resp.flushBuffer();
      resp.sendError(500);
    }), "/*"));

    assertThatThrownBy(() -> Bridge.get(app, "/")).hasMessageContaining("after the response was committed");
  }
}
