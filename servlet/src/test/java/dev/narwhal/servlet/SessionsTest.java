package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Header;
import dev.narwhal.Response;
import jakarta.servlet.http.HttpSession;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final Bridge bridge = new Bridge();
  /** Each test its own web app name, so its own session store. */
  private final String name = "sessions-" + UUID.randomUUID();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private ServletApp.Builder counter() {
    return ServletApp.builder().name(name).servlet("count", Bridge.servlet((req, resp) -> {
      if (req.getParameter("logout") != null) {
        req.getSession().invalidate();
        return;
      }
      HttpSession session = req.getSession();
      Integer n = (Integer) session.getAttribute("n");
      session.setAttribute("n", n == null ? 1 : n + 1);
      resp.getWriter().print(session.getAttribute("n") + (session.isNew() ? " new" : ""));
    }), "/*");
  }

  private static String sessionCookie(Response r) {
    return r.headers().stream().filter(h -> h.is("Set-Cookie")).map(Header::value)
        .filter(v -> v.startsWith("JSESSIONID=")).findFirst().orElseThrow();
  }

  private static Response get(ServletApp app, String cookie) throws Exception {
    return app.handle(Bridge.request("GET", "/").header("Cookie", cookie).build());
  }

  @Test
  void a_new_session_sets_an_http_only_cookie_for_the_context() throws Exception {
    Response first = Bridge.get(bridge.start(counter()), "/");

    assertThat(first.bodyAsString()).isEqualTo("1 new");
    assertThat(sessionCookie(first)).matches("JSESSIONID=[0-9A-F]{32}; .*").contains("Path=/", "HttpOnly");
  }

  @Test
  void the_session_is_shared_by_the_app_instances_of_one_server_like_workers() throws Exception {
    ServletApp worker1 = bridge.start(counter());
    ServletApp worker2 = bridge.start(counter());
    String cookie = sessionCookie(Bridge.get(worker1, "/")).split(";")[0];

    assertThat(get(worker2, cookie).bodyAsString()).isEqualTo("2");
    assertThat(get(worker1, cookie).bodyAsString()).isEqualTo("3");
  }

  @Test
  void an_invalidated_session_is_gone_for_every_worker() throws Exception {
    ServletApp worker1 = bridge.start(counter());
    ServletApp worker2 = bridge.start(counter());
    String cookie = sessionCookie(Bridge.get(worker1, "/")).split(";")[0];

    worker2.handle(Bridge.request("GET", "/?logout").header("Cookie", cookie).build());

    assertThat(get(worker1, cookie).bodyAsString()).isEqualTo("1 new");
  }

  @Test
  void a_session_idle_past_its_timeout_expires() throws Exception {
    ServletApp app = bridge.start(counter().sessionTimeout(Duration.ofSeconds(1)));
    String cookie = sessionCookie(Bridge.get(app, "/")).split(";")[0];
    assertThat(get(app, cookie).bodyAsString()).isEqualTo("2");

    // each look with the cookie is an access that restarts the idle clock: poll slower than the timeout
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(1500))
        .until(() -> get(app, cookie).bodyAsString().equals("1 new"));
  }

  @Test
  void an_unknown_session_id_is_reported_invalid_and_a_new_session_is_made() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().name(name).servlet("s", Bridge.servlet((req, resp) -> {
      resp.getWriter().print(req.getRequestedSessionId() + " " + req.isRequestedSessionIdValid() + " "
          + (req.getSession(false) == null));
    }), "/*"));

    assertThat(get(app, "JSESSIONID=stale").bodyAsString()).isEqualTo("stale false true");
  }

  @Test
  void change_session_id_keeps_the_attributes_under_a_new_cookie() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().name(name).servlet("s", Bridge.servlet((req, resp) -> {
      req.getSession().setAttribute("user", "ann");
      String before = req.getSession().getId();
      String after = req.changeSessionId();
      resp.getWriter().print(!before.equals(after) + " " + req.getSession().getAttribute("user"));
    }), "/*"));

    Response r = Bridge.get(app, "/");
    assertThat(r.bodyAsString()).isEqualTo("true ann");
    assertThat(r.headers().stream().filter(h -> h.is("Set-Cookie")).count()).isEqualTo(2);
  }
}
