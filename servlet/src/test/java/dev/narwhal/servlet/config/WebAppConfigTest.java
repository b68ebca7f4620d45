package dev.narwhal.servlet.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.config.AppResolver;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.SettingsException;
import org.junit.jupiter.api.Test;

/** A web app declared in the config file, web.xml's way, and run with APP webapp:. */
class WebAppConfigTest {
  static final String WEBAPP = """
      narwhal {
        webapp {
          context-path = "/shop"
          context-params { region = eu }
          servlets = [
            { name = greeter, class = dev.narwhal.servlet.config.GreetingServlet, mappings = ["/hi/*"],
              init-params { greeting = Hello }, load-on-startup = 1 }
          ]
          filters = [ { name = stamp, class = dev.narwhal.servlet.config.StampFilter, mappings = ["/*"] } ]
          listeners = [ dev.narwhal.servlet.config.StartListener ]
        }
      }
      """;

  static Response get(Application app, String path) throws Exception {
    return app.handle(Request.builder("GET", path).header("Host", "example.test").build());
  }

  @Test
  void servlets_filters_listeners_and_parameters_come_from_the_config() throws Exception {
    Application app = AppResolver.resolve("webapp:", ServerConfig.parse(WEBAPP)).get();
    app.onStart();
    try {
      Response hi = get(app, "/shop/hi/there");

      assertThat(hi.statusCode()).isEqualTo(200);
      assertThat(hi.bodyAsString()).isEqualTo("Hello from eu at /shop|/hi|/there started=yes");
      assertThat(hi.header("X-Stamp")).hasValue("stamped");
      assertThat(get(app, "/shop/other").statusCode()).isEqualTo(404);
    } finally {
      app.onStop();
    }
  }

  @Test
  void an_unknown_class_is_a_config_error_naming_its_setting_and_line() {
    ServerConfig config = ServerConfig.parse(
        "narwhal {\n  webapp.servlets = [ { name = x, class = com.example.Nope, mappings = [\"/\"] } ]\n}\n");

    assertThatThrownBy(() -> AppResolver.resolve("webapp:", config))
        .isInstanceOf(SettingsException.class)
        .hasMessage("config text: 2: narwhal.webapp.servlets: no class com.example.Nope on the classpath");
  }

  @Test
  void a_servlet_without_a_class_is_named_with_its_line() {
    assertThatThrownBy(() -> ServerConfig.parse("narwhal {\n  webapp.servlets = [ { name = x } ]\n}\n"))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("config text: 2: narwhal.webapp.servlets: expected a list of { name = NAME")
        .hasMessageContaining("got an entry without class");
  }

  @Test
  void without_servlets_webapp_says_what_is_missing() {
    assertThatThrownBy(() -> AppResolver.resolve("webapp:", ServerConfig.defaults()))
        .isInstanceOf(SettingsException.class)
        .hasMessageContaining("narwhal.webapp.servlets is empty");
  }

  @Test
  void a_malformed_url_pattern_is_a_config_error_naming_its_line_before_any_worker_boots() {
    ServerConfig config = ServerConfig.parse("narwhal {\n  webapp.servlets = [\n    { name = api, class = "
        + "dev.narwhal.servlet.config.GreetingServlet, mappings = [\"api/*\"] }\n  ]\n}\n");

    assertThatThrownBy(() -> AppResolver.resolve("webapp:", config))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("config text: 2: narwhal.webapp.servlets: api: invalid servlet URL pattern 'api/*'");
  }

  @Test
  void a_context_path_without_its_slash_is_a_config_error_naming_its_line() {
    ServerConfig config = ServerConfig.parse("narwhal {\n  webapp {\n    context-path = shop\n    servlets = [ { name = "
        + "g, class = dev.narwhal.servlet.config.GreetingServlet } ]\n  }\n}\n");

    assertThatThrownBy(() -> AppResolver.resolve("webapp:", config))
        .isInstanceOf(SettingsException.class)
        .hasMessageStartingWith("config text: 3: narwhal.webapp.context-path: a context path is");
  }
}
