package dev.narwhal.examples.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.servlet.ServletApp;
import dev.narwhal.test.NarwhalServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The plain servlet on a real server, mapped and configured as servlet:... maps it. */
class HelloServletTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(ServletApp.builder()
      .servlet("hello", HelloServlet.class, "/hello/*").initParam("greeting", "Hello")::build).workers(2);

  @RegisterExtension
  static final NarwhalServer webApp = NarwhalServer.of(HelloWebApp::new);

  @Test
  void the_web_app_runs_its_filter_around_its_servlet() throws Exception {
    HttpResponse<String> r = webApp.get("/hello/Bo");
    assertThat(r.body()).isEqualTo("Hi, Bo! (visit 1)\n");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(webApp.get("/elsewhere").statusCode()).isEqualTo(404);
  }

  @Test
  void the_servlet_greets_by_path_and_counts_visits_in_its_session() throws Exception {
    HttpResponse<String> first = server.get("/hello/Zoë");
    assertThat(first.body()).isEqualTo("Hello, Zoë! (visit 1)\n");
    String cookie = first.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];

    HttpResponse<String> second = server.send(server.request("/hello/Zoë").header("Cookie", cookie).build());
    assertThat(second.body()).isEqualTo("Hello, Zoë! (visit 2)\n");
  }
}
