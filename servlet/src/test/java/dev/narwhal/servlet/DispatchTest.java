package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Response;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatchTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private static final Bridge.Body DESCRIBE = (req, resp) -> resp.getWriter().print(req.getDispatcherType() + " "
      + req.getRequestURI() + " " + req.getServletPath() + " " + req.getPathInfo() + " " + req.getQueryString()
      + " p=" + String.join(",", req.getParameterValues("p")) + " from="
      + req.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) + " attr=" + req.getAttribute("set-before"));

  @Test
  void forward_shows_the_target_s_paths_merges_parameters_and_keeps_the_originals_as_attributes() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().contextPath("/app")
        .servlet("front", Bridge.servlet((req, resp) -> {
          resp.getWriter().print("dropped by the forward");
          req.setAttribute("set-before", "yes");
          req.getRequestDispatcher("/views/show?p=fwd").forward(req, resp);
          resp.getWriter().print(" ignored after the forward");
        }), "/front/*")
        .servlet("views", Bridge.servlet(DESCRIBE), "/views/*"));

    Response r = Bridge.get(app, "/app/front/x?p=orig");
    assertThat(r.bodyAsString())
        .isEqualTo("FORWARD /app/views/show /views /show p=fwd p=fwd,orig from=/app/front/x attr=yes");
  }

  @Test
  void a_relative_dispatcher_path_resolves_against_the_current_servlet_path() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("front", Bridge.servlet((req, resp) -> req.getRequestDispatcher("show?p=1").forward(req, resp)),
            "/views/front")
        .servlet("show", Bridge.servlet(DESCRIBE), "/views/show"));

    assertThat(Bridge.get(app, "/views/front").bodyAsString()).startsWith("FORWARD /views/show /views/show null");
  }

  @Test
  void include_adds_the_target_s_output_but_not_its_status_or_headers() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("page", Bridge.servlet((req, resp) -> {
          resp.getWriter().print("[");
          req.getRequestDispatcher("/fragment?part=2").include(req, resp);
          resp.getWriter().print("]");
        }), "/page")
        .servlet("fragment", Bridge.servlet((req, resp) -> {
          resp.setStatus(500);
          resp.setHeader("X-From-Include", "1");
          resp.getWriter().print(req.getDispatcherType() + " " + req.getServletPath() + " "
              + req.getAttribute(RequestDispatcher.INCLUDE_SERVLET_PATH) + " " + req.getParameter("part"));
        }), "/fragment"));

    Response r = Bridge.get(app, "/page");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.header("X-From-Include")).isEmpty();
    assertThat(r.bodyAsString()).isEqualTo("[INCLUDE /page /fragment 2]");
  }

  @Test
  void a_named_dispatcher_reaches_a_servlet_by_name_keeping_the_paths() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("front", Bridge.servlet((req, resp) ->
            req.getServletContext().getNamedDispatcher("worker").forward(req, resp)), "/front")
        .servlet("worker", Bridge.servlet((req, resp) -> resp.getWriter().print("worker at " + req.getServletPath())),
            "/worker"));

    assertThat(Bridge.get(app, "/front").bodyAsString()).isEqualTo("worker at /front");
    assertThat(app.servletContext().getNamedDispatcher("nobody")).isNull();
  }

  @Test
  void a_forward_after_the_commit_fails() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("front", Bridge.servlet((req, resp) -> {
          resp.flushBuffer();
          try {
            req.getRequestDispatcher("/x").forward(req, resp);
          } catch (IllegalStateException e) {
            resp.getWriter().print(e.getMessage());
          }
        }), "/front")
        .servlet("x", Bridge.servlet((req, resp) -> { }), "/x"));

    assertThat(Bridge.get(app, "/front").bodyAsString()).contains("after the response was committed");
  }
}
