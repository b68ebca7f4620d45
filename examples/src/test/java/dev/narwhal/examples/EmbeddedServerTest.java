package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.Server;
import dev.narwhal.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server from http-frontend alone, no launcher: what an embedder writes. */
class EmbeddedServerTest {
  @Test
  void a_server_starts_from_http_frontend_alone_in_three_lines() throws Exception {
    ServerConfig config = ServerConfig.of(Map.of("workers", 2, "bind", "127.0.0.1:0", "admin-bind", "off"));
    try (Server server = Server.create(HelloApp::new, config).start()) {
      HttpResponse<String> hello = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(hello.statusCode()).isEqualTo(200);
      assertThat(hello.body()).isEqualTo("Hello, World!");
    }
  }
}
