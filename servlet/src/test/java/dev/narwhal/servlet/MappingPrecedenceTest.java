package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.servlet.internal.UrlMapper;
import jakarta.servlet.http.MappingMatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MappingPrecedenceTest {
  private final Bridge bridge = new Bridge();

  @AfterEach
  void stop() {
    bridge.close();
  }

  private static UrlMapper mapper() {
    UrlMapper m = new UrlMapper();
    m.add("/catalog", "exact");
    m.add("/catalog/*", "catalog");
    m.add("/catalog/books/*", "books");
    m.add("*.jsp", "jsp");
    m.add("/", "default");
    m.add("", "root");
    return m;
  }

  @Test
  void an_exact_pattern_wins_over_a_prefix_that_also_matches() {
    UrlMapper.Match m = mapper().match("/catalog").orElseThrow();
    assertThat(m.servletName()).isEqualTo("exact");
    assertThat(m.servletPath()).isEqualTo("/catalog");
    assertThat(m.pathInfo()).isNull();
    assertThat(m.kind()).isEqualTo(MappingMatch.EXACT);
  }

  @Test
  void the_longest_prefix_wins_and_splits_servlet_path_from_path_info() {
    UrlMapper.Match m = mapper().match("/catalog/books/7").orElseThrow();
    assertThat(m.servletName()).isEqualTo("books");
    assertThat(m.servletPath()).isEqualTo("/catalog/books");
    assertThat(m.pathInfo()).isEqualTo("/7");
    assertThat(mapper().match("/catalog/toys/1").orElseThrow().servletName()).isEqualTo("catalog");
  }

  @Test
  void a_prefix_wins_over_an_extension() {
    assertThat(mapper().match("/catalog/index.jsp").orElseThrow().servletName()).isEqualTo("catalog");
    UrlMapper.Match jsp = mapper().match("/other/index.jsp").orElseThrow();
    assertThat(jsp.servletName()).isEqualTo("jsp");
    assertThat(jsp.servletPath()).isEqualTo("/other/index.jsp");
    assertThat(jsp.kind()).isEqualTo(MappingMatch.EXTENSION);
  }

  @Test
  void the_default_servlet_takes_what_nothing_else_matches_with_the_whole_path_as_servlet_path() {
    UrlMapper.Match m = mapper().match("/about/team").orElseThrow();
    assertThat(m.servletName()).isEqualTo("default");
    assertThat(m.servletPath()).isEqualTo("/about/team");
    assertThat(m.pathInfo()).isNull();
  }

  @Test
  void the_empty_pattern_maps_the_context_root_alone() {
    UrlMapper.Match m = mapper().match("/").orElseThrow();
    assertThat(m.servletName()).isEqualTo("root");
    assertThat(m.servletPath()).isEmpty();
    assertThat(m.pathInfo()).isEqualTo("/");
  }

  @Test
  void slash_star_matches_everything_with_an_empty_servlet_path() {
    UrlMapper m = new UrlMapper();
    m.add("/*", "all");
    UrlMapper.Match match = m.match("/a/b").orElseThrow();
    assertThat(match.servletPath()).isEmpty();
    assertThat(match.pathInfo()).isEqualTo("/a/b");
    assertThat(new UrlMapper().match("/x")).isEmpty();
  }

  @Test
  void a_malformed_pattern_is_refused_with_the_four_forms_named() {
    assertThatThrownBy(() -> UrlMapper.validate("/a/*/b")).hasMessageContaining("invalid servlet URL pattern");
    assertThatThrownBy(() -> UrlMapper.validate("api/*")).hasMessageContaining("prefix (/a/*)");
  }

  @Test
  void a_servlet_sees_its_context_path_servlet_path_and_path_info_decoded() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().contextPath("/shop")
        .characterEncoding("UTF-8")
        .servlet("api", Bridge.servlet((req, resp) -> resp.getWriter().print(
            req.getContextPath() + "|" + req.getServletPath() + "|" + req.getPathInfo() + "|" + req.getRequestURI()
                + "|" + req.getHttpServletMapping().getMappingMatch())), "/api/*"));

    assertThat(Bridge.get(app, "/shop/api/caf%C3%A9").bodyAsString())
        .isEqualTo("/shop|/api|/café|/shop/api/caf%C3%A9|PATH");
    assertThat(Bridge.get(app, "/elsewhere/api/x").statusCode()).isEqualTo(404);
    assertThat(Bridge.get(app, "/shop/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void options_asterisk_goes_to_the_default_servlet_which_answers_with_allow() throws Exception {
    ServletApp app = bridge.start(ServletApp.builder().contextPath("/shop")
        .servlet("default", new jakarta.servlet.http.HttpServlet() {
          @Override
          protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp) {
          }
        }, "/"));

    dev.narwhal.Response options = app.handle(Bridge.request("OPTIONS", "*").build());

    assertThat(options.statusCode()).isEqualTo(200);
    assertThat(options.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "OPTIONS"));
  }

  @Test
  void two_servlets_cannot_share_a_pattern() {
    assertThatThrownBy(() -> bridge.start(ServletApp.builder()
        .servlet("a", Bridge.servlet((q, r) -> { }), "/x")
        .servlet("b", Bridge.servlet((q, r) -> { }), "/x")))
        .hasMessageContaining("already mapped");
  }
}
