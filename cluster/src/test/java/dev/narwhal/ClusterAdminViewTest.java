package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.Settings;
import dev.narwhal.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The admin API's cluster view on a one-node cluster: asked for often, it asks the nodes at most once a second. */
class ClusterAdminViewTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void cluster_views_asked_for_within_a_second_share_one_fan_out_to_the_nodes() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(1)
        .with(Settings.CLUSTER_BIND, Optional.of(new BindAddress("127.0.0.1", 0))))) {
      await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> {
        HttpResponse<String> view = t.adminGet("/stats?scope=cluster");
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(view.body()).path("nodes")).hasSize(1);
      });
      boolean shared = false;
      for (int attempt = 0; attempt < 5 && !shared; attempt++) {
        long first = System.nanoTime();
        JsonNode a = JSON.readTree(t.adminGet("/stats?scope=cluster").body());
        JsonNode b = JSON.readTree(t.adminGet("/stats?scope=cluster").body());
        long apart = System.nanoTime() - first;
        assertThat(a.path("generated_at").asText()).as("the view says when it was made").isNotEmpty();
        shared = a.path("generated_at").equals(b.path("generated_at"));
        if (!shared) {
          assertThat(apart).as("a fresh fan-out %s ms after the previous one", apart / 1_000_000)
              .isGreaterThanOrEqualTo(Duration.ofSeconds(1).toNanos());
        }
      }
      assertThat(shared).as("two cluster views asked for back to back came from one fan-out").isTrue();
    }
  }
}
