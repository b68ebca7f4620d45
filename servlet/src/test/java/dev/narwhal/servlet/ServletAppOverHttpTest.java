package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.testing.RawHttp;
import dev.narwhal.testing.TestServer;
import jakarta.servlet.http.HttpSession;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A servlet app on a real Narwhal server, over real HTTP, with two workers. */
class ServletAppOverHttpTest {
  @Test
  void a_session_made_on_one_worker_is_seen_on_the_others_over_real_http() throws Exception {
    ServletApp.Builder app = ServletApp.builder().name("http-" + UUID.randomUUID())
        .servlet("visits", Bridge.servlet((req, resp) -> {
          HttpSession session = req.getSession();
          Integer n = (Integer) session.getAttribute("n");
          session.setAttribute("n", n == null ? 1 : n + 1);
          resp.setContentType("text/plain");
          resp.getWriter().print("visit " + session.getAttribute("n") + " on " + req.getServerName()
              + " via " + req.getServletPath() + req.getPathInfo());
        }), "/visits/*");

    try (TestServer server = TestServer.start(app::build, c -> c.withWorkers(2))) {
      HttpResponse<String> first = server.get("/visits/a?x=1");
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).isEqualTo("visit 1 on 127.0.0.1 via /visits/a");
      assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t.replace(" ", "")).isEqualTo("text/plain;charset=ISO-8859-1"));
      String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

      Set<String> bodies = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        HttpRequest request = HttpRequest.newBuilder(server.uri("/visits/b")).header("Cookie", cookie).build();
        bodies.add(server.client.send(request, HttpResponse.BodyHandlers.ofString()).body());
      }
      // every request counted in the one session, whichever worker took it
      assertThat(bodies).contains("visit 21 on 127.0.0.1 via /visits/b").hasSize(20);
      assertThat(server.get("/elsewhere").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void a_filter_on_a_path_cannot_be_stepped_around_with_dot_segments_over_real_http() throws Exception {
    ServletApp.Builder app = ServletApp.builder().name("guard-" + UUID.randomUUID())
        .filter("guard", (jakarta.servlet.Filter) (req, resp, chain) ->
            ((jakarta.servlet.http.HttpServletResponse) resp).sendError(403), "/admin/*")
        .servlet("public", Bridge.servlet((req, resp) -> resp.getWriter().print("public " + req.getPathInfo())), "/public/*")
        .servlet("admin", Bridge.servlet((req, resp) -> resp.getWriter().print("admin secret")), "/admin/*");

    try (TestServer server = TestServer.start(app::build, c -> c);
        RawHttp connection = new RawHttp(server.server.port())) {
      assertThat(statusAndBody(connection, "/public/../admin/secret")).startsWith("403");
      assertThat(statusAndBody(connection, "/public/..;x=1/admin/secret")).startsWith("403");
      assertThat(statusAndBody(connection, "/admin/../public/page")).isEqualTo("200 public /page");
      assertThat(statusAndBody(connection, "/public/%2e%2e/admin/secret")).startsWith("400");
    }
  }

  private static String statusAndBody(RawHttp connection, String path) throws Exception {
    RawHttp.Reply reply = connection.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
    return reply.status() + " " + reply.body();
  }

  @Test
  void a_form_posted_in_latin_1_is_read_with_its_declared_charset_over_real_http() throws Exception {
    ServletApp.Builder app = ServletApp.builder().name("form-" + UUID.randomUUID()).characterEncoding("UTF-8")
        .servlet("form", Bridge.servlet((req, resp) -> {
          resp.setContentType("text/plain; charset=UTF-8");
          resp.getWriter().print(req.getCharacterEncoding() + " " + req.getParameter("name"));
        }), "/*");

    try (TestServer server = TestServer.start(app::build, c -> c)) {
      HttpRequest post = HttpRequest.newBuilder(server.uri("/form"))
          .header("Content-Type", "application/x-www-form-urlencoded; charset=ISO-8859-1")
          .POST(HttpRequest.BodyPublishers.ofString("name=%E9t%E9")).build();

      assertThat(server.client.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ISO-8859-1 été");
    }
  }
}
