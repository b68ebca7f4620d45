package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.Settings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * cluster.overflow: node A (one sync worker, backlog 1) saturated, node B idle; what A's backlog
 * cannot take is served by B, and A shows the hop in the response, its counters and its access log.
 */
class ClusterOverflowTest {
  static final Duration WAIT = Duration.ofSeconds(45);
  static final ObjectMapper JSON = new ObjectMapper();

  static Application sleepy() {
    return Application.of(r -> {
      int ms = Integer.parseInt(r.queryParam("ms").orElse("0"));
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Response.ok("slept " + ms + " from " + r.header("X-Narwhal-Overflow-From").orElse("here"));
    });
  }

  @Test
  void requests_beyond_a_saturated_node_s_backlog_are_served_by_an_idle_node() throws Exception {
    try (TestServer a = TestServer.start(sleepy(), c -> c.withWorkers(1).withBacklog(1)
            .with(Settings.CLUSTER_BIND, Optional.of(new BindAddress("127.0.0.1", 0)))
            .with(Settings.CLUSTER_OVERFLOW, true))) {
      String first = a.server.clusterAddress().orElseThrow();
      try (TestServer b = TestServer.start(sleepy(), c -> c.withWorkers(2)
              .with(Settings.CLUSTER_BIND, Optional.of(new BindAddress("127.0.0.1", 0)))
              .with(Settings.CLUSTER_SEED_NODES, List.of(BindAddress.parse(first.substring(first.indexOf('@') + 1))))
              .with(Settings.CLUSTER_OVERFLOW, true))) {
        for (TestServer node : List.of(a, b)) {
          await().atMost(WAIT).untilAsserted(() -> {
            JsonNode view = JSON.readTree(node.adminGet("/stats?scope=cluster").body());
            assertThat(view.path("nodes")).hasSize(2);
          });
        }
        // saturate A: its worker busy, its backlog (1) full
        List<CompletableFuture<HttpResponse<String>>> local = new ArrayList<>();
        local.add(a.getAsync("/sleep?ms=6000"));
        await().atMost(WAIT).until(() -> a.server.stats().workersIn("busy") == 1);
        local.add(a.getAsync("/sleep?ms=6000"));
        await().atMost(WAIT).until(() -> a.server.stats().backlog() == 1);

        // beyond the backlog: served by B (the first try may come before B's load was announced)
        String bAddress = b.server.clusterAddress().orElseThrow();
        await().atMost(WAIT).untilAsserted(() -> {
          HttpResponse<String> r = a.get("/sleep?ms=10");
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.headers().firstValue("X-Narwhal-Overflow")).contains(bAddress);
          assertThat(r.body()).isEqualTo("slept 10 from " + first);
        });
        HttpResponse<String> again = a.get("/sleep?ms=10");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("X-Narwhal-Overflow")).contains(bAddress);

        JsonNode aStats = JSON.readTree(a.adminGet("/stats?scope=cluster").body());
        assertThat(aStats.path("totals").path("overflowed").asLong()).isGreaterThanOrEqualTo(2);
        for (CompletableFuture<HttpResponse<String>> r : local) {
          assertThat(r.get().statusCode()).isEqualTo(200);
          assertThat(r.get().headers().firstValue("X-Narwhal-Overflow")).isEmpty();
        }
      }
    }
  }
}
