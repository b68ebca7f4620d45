package dev.narwhal.servlet;

import dev.narwhal.Request;
import dev.narwhal.Response;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;

/** Drives ServletApps directly through Narwhal's Request and Response: no server, fast. */
final class Bridge implements AutoCloseable {
  /** A servlet body as a lambda. */
  @FunctionalInterface
  interface Body {
    void run(HttpServletRequest request, HttpServletResponse response) throws Exception;
  }

  private final List<ServletApp> started = new ArrayList<>();

  static HttpServlet servlet(Body body) {
    return new HttpServlet() {
      @Override
      protected void service(HttpServletRequest req, HttpServletResponse resp) {
        try {
          body.run(req, resp);
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  static Filter filter(String name, List<String> trace) {
    return (req, resp, chain) -> {
      trace.add(name + ">");
      chain.doFilter(req, resp);
      trace.add("<" + name);
    };
  }

  /** Builds and starts an app, stopped by close(). */
  ServletApp start(ServletApp.Builder builder) throws Exception {
    ServletApp app = builder.build();
    app.onStart();
    started.add(app);
    return app;
  }

  static Request.Builder request(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    Request.Builder b = Request.builder(method, q < 0 ? pathAndQuery : pathAndQuery.substring(0, q));
    if (q >= 0) {
      b.query(pathAndQuery.substring(q + 1));
    }
    return b.header("Host", "example.test:8080");
  }

  static Response get(ServletApp app, String pathAndQuery) throws Exception {
    return app.handle(request("GET", pathAndQuery).build());
  }

  @Override
  public void close() {
    started.forEach(ServletApp::onStop);
  }
}
