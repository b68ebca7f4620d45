package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestAndSessionListenersTest {
  private final Bridge bridge = new Bridge();
  private final List<String> trace = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private final ServletRequestListener requests = new ServletRequestListener() {
    @Override
    public void requestInitialized(ServletRequestEvent sre) {
      trace.add("begin " + ((jakarta.servlet.http.HttpServletRequest) sre.getServletRequest()).getRequestURI());
    }

    @Override
    public void requestDestroyed(ServletRequestEvent sre) {
      trace.add("end");
    }
  };

  private final HttpSessionListener sessions = new HttpSessionListener() {
    @Override
    public void sessionCreated(HttpSessionEvent se) {
      trace.add("session created");
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent se) {
      trace.add("session destroyed holding " + se.getSession().getAttribute("user"));
    }
  };

  @Test
  void a_request_listener_sees_each_request_begin_and_end_around_the_servlet() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().discoverInitializers(false).listener(requests)
        .servlet("s", Bridge.servlet((req, resp) -> trace.add("servlet")), "/*"));

    Bridge.get(app, "/a");
    assertThat(trace).containsExactly("begin /a", "servlet", "end");
  }

  @Test
  void a_session_listener_hears_creation_and_invalidation_with_the_attributes_still_readable() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().name("listeners-" + UUID.randomUUID())
        .discoverInitializers(false).listener(sessions)
        .servlet("s", Bridge.servlet((req, resp) -> {
          req.getSession().setAttribute("user", "ann");
          req.getSession().invalidate();
        }), "/*"));

    Bridge.get(app, "/");
    assertThat(trace).containsExactly("session created", "session destroyed holding ann");
  }
}
