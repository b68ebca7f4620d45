package com.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.test.NarwhalServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The app under a real Narwhal server: four supervised workers on a free port. */
class AppTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(App::new).workers(4);

  @Test
  void hello_greets_by_name() throws Exception {
    assertThat(server.get("/hello?name=Ada").body()).isEqualTo("Hello, Ada!\n");
  }

  @Test
  void an_unknown_path_is_404() throws Exception {
    assertThat(server.get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void all_four_workers_serve() throws Exception {
    assertThat(server.stats().path("workers")).hasSize(4);
  }
}
