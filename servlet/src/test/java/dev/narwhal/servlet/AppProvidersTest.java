package dev.narwhal.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Application;
import dev.narwhal.config.SettingsException;
import dev.narwhal.config.AppResolver;
import jakarta.servlet.annotation.WebInitParam;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** bin/narwhal servlet:CLASS and jaxrs:CLASS, as the server resolves APP names. */
class AppProvidersTest {

  @WebServlet(urlPatterns = "/hi/*", initParams = @WebInitParam(name = "who", value = "world"))
  public static final class Greeting extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().print("hello " + getInitParameter("who") + " at " + req.getPathInfo());
    }
  }

  public static final class Plain extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getWriter().print("plain " + req.getServletPath() + "|" + req.getPathInfo());
    }
  }

  private static String get(Supplier<Application> factory, String path) throws Exception {
    Application app = factory.get();
    app.onStart();
    try {
      return app.handle(Bridge.request("GET", path).build()).bodyAsString();
    } finally {
      app.onStop();
    }
  }

  @Test
  void servlet_prefix_runs_one_servlet_mapped_as_its_web_servlet_annotation_says() throws Exception {
    Supplier<Application> factory = AppResolver.resolve("servlet:" + Greeting.class.getName(), List.of());

    assertThat(get(factory, "/hi/there")).isEqualTo("hello world at /there");
  }

  @Test
  void servlet_prefix_maps_an_unannotated_servlet_to_every_path() throws Exception {
    assertThat(get(AppResolver.resolve("servlet:" + Plain.class.getName(), List.of()), "/a/b")).isEqualTo("plain |/a/b");
  }

  @Test
  void servlet_prefix_names_what_is_wrong_with_the_class() {
    assertThatThrownBy(() -> AppResolver.resolve("servlet:com.example.Missing", List.of()))
        .isInstanceOf(SettingsException.class).hasMessageContaining("no class com.example.Missing");
    assertThatThrownBy(() -> AppResolver.resolve("servlet:java.lang.String", List.of()))
        .hasMessageContaining("java.lang.String is not a jakarta.servlet.Servlet");
  }

  @Test
  void jaxrs_prefix_without_jersey_on_the_class_path_says_what_to_add() {
    assertThatThrownBy(() -> AppResolver.resolve("jaxrs:com.example.Shop", List.of()))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("jersey-container-servlet");
  }

  @Test
  void an_unknown_prefix_lists_the_known_ones() {
    assertThatThrownBy(() -> AppResolver.resolve("spring:com.example.Web", List.of()))
        .hasMessageContaining("no application provider for 'spring:'").hasMessageContaining("servlet:", "jaxrs:");
  }
}
