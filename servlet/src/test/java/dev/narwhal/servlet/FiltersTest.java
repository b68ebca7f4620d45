package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Response;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FiltersTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  @Test
  void filters_run_in_registration_order_around_the_servlet_when_their_pattern_matches() throws Exception {
    List<String> trace = new ArrayList<>();
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("api", Bridge.servlet((req, resp) -> trace.add("servlet")), "/api/*")
        .servlet("page", Bridge.servlet((req, resp) -> trace.add("page")), "*.html")
        .filter("all", Bridge.filter("all", trace), "/*")
        .filter("api-only", Bridge.filter("api", trace), "/api/*")
        .filter("html-only", Bridge.filter("html", trace), "*.html"));

    Bridge.get(app, "/api/x");
    assertThat(trace).containsExactly("all>", "api>", "servlet", "<api", "<all");
    trace.clear();
    Bridge.get(app, "/docs/index.html");
    assertThat(trace).containsExactly("all>", "html>", "page", "<html", "<all");
  }

  @Test
  void a_filter_can_answer_without_calling_the_chain() throws Exception {
    Filter guard = (req, resp, chain) -> {
      if (((HttpServletRequest) req).getHeader("Authorization") == null) {
        ((HttpServletResponse) resp).sendError(401, "log in");
        return;
      }
      chain.doFilter(req, resp);
    };
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("s", Bridge.servlet((req, resp) -> resp.getWriter().print("secret")), "/*")
        .filter("guard", guard, "/*"));

    assertThat(Bridge.get(app, "/").statusCode()).isEqualTo(401);
    Response ok = app.handle(Bridge.request("GET", "/").header("Authorization", "Bearer x").build());
    assertThat(ok.bodyAsString()).isEqualTo("secret");
  }

  @Test
  void a_filter_can_wrap_the_request_the_servlet_sees() throws Exception {
    Filter upper = (req, resp, chain) -> chain.doFilter(new HttpServletRequestWrapper((HttpServletRequest) req) {
      @Override
      public String getParameter(String name) {
        String v = super.getParameter(name);
        return v == null ? null : v.toUpperCase();
      }
    }, resp);
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("s", Bridge.servlet((req, resp) -> resp.getWriter().print(req.getParameter("q"))), "/*")
        .filter("upper", upper, "/*"));

    assertThat(Bridge.get(app, "/?q=abc").bodyAsString()).isEqualTo("ABC");
  }

  @Test
  void a_filter_gets_its_init_parameters_and_is_destroyed_with_the_app() throws Exception {
    List<String> trace = new ArrayList<>();
    Filter f = new Filter() {
      @Override
      public void init(jakarta.servlet.FilterConfig config) {
        trace.add("init " + config.getFilterName() + " " + config.getInitParameter("level"));
      }

      @Override
      public void doFilter(jakarta.servlet.ServletRequest q, jakarta.servlet.ServletResponse r,
          jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
        chain.doFilter(q, r);
      }

      @Override
      public void destroy() {
        trace.add("destroy");
      }
    };
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("s", Bridge.servlet((req, resp) -> { }), "/*")
        .filter("audit", f, "/*").initParam("level", "high"));
    assertThat(trace).containsExactly("init audit high");

    app.onStop();
    assertThat(trace).containsExactly("init audit high", "destroy");
  }

  @Test
  void a_filter_for_request_dispatches_does_not_run_on_a_forward_unless_asked() throws Exception {
    List<String> trace = new ArrayList<>();
    ServletApp app = bridge.start(ServletApp.builder()
        .servlet("from", Bridge.servlet((req, resp) -> req.getRequestDispatcher("/to").forward(req, resp)), "/from")
        .servlet("to", Bridge.servlet((req, resp) -> trace.add("to")), "/to")
        .filter("req", Bridge.filter("req", trace), "/to")
        .filter("fwd", TraceFilter.class, EnumSet.of(DispatcherType.FORWARD), "/to"));
    TraceFilter.trace = trace;

    Bridge.get(app, "/from");
    assertThat(trace).containsExactly("fwd>", "to", "<fwd");
  }

  /** A filter given by class, so the bridge makes the instance. */
  public static final class TraceFilter implements Filter {
    static List<String> trace;

    @Override
    public void doFilter(jakarta.servlet.ServletRequest q, jakarta.servlet.ServletResponse r,
        jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
      trace.add("fwd>");
      chain.doFilter(q, r);
      trace.add("<fwd");
    }
  }
}
