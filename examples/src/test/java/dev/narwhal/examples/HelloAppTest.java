package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.test.NarwhalServer;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The README's first app under four supervised workers, as a user's own test would run it. */
class HelloAppTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(HelloApp::new).workers(4);

  @Test
  void every_path_is_greeted_in_plain_text() throws Exception {
    HttpResponse<String> hello = server.get("/any/path");

    assertThat(hello.statusCode()).isEqualTo(200);
    assertThat(hello.body()).isEqualTo("Hello, World!");
    assertThat(hello.headers().firstValue("content-type")).hasValue("text/plain; charset=UTF-8");
  }

  @Test
  void the_server_runs_the_four_workers_it_was_given() throws Exception {
    assertThat(server.stats().path("workers")).hasSize(4);
  }
}
