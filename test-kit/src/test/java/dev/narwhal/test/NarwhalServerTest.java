package dev.narwhal.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One server for the whole class, in a static field: what most application tests look like. */
class NarwhalServerTest {
  @RegisterExtension
  static final NarwhalServer server = NarwhalServer.of(WhoAmI::new)
      .workers(3).workerClass("gthread").threads(2).timeout(Duration.ofSeconds(20));

  @Test
  void the_app_answers_on_a_free_port_of_the_loopback_address() throws Exception {
    assertThat(server.port()).isPositive();
    assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    assertThat(server.get("/hi?x=1").body()).startsWith("hello from ").endsWith(" /hi");
  }

  @Test
  void a_post_reaches_the_app() throws Exception {
    assertThat(server.post("/form", "text/plain", "body").statusCode()).isEqualTo(200);
  }

  @Test
  void stats_show_the_settings_the_server_was_given() throws Exception {
    JsonNode stats = server.stats();

    assertThat(stats.path("workers")).hasSize(3);
    assertThat(server.server().config().get(dev.narwhal.config.Settings.TIMEOUT)).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void metrics_count_the_requests_served() throws Exception {
    server.get("/counted");

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(server.metrics().value("narwhal_requests_total", Map.of("method", "GET", "status", "200"))
            .orElse(0)).isPositive());
  }
}
