package dev.narwhal;

import dev.narwhal.testing.AdminProbe;
import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** GET /stats and GET /threads on the admin bind. */
class StatsTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode stats(TestServer t) throws Exception {
    return AdminProbe.stats(t);
  }

  static JsonNode field(JsonNode parent, String name, String type) {
    return AdminProbe.field(parent, name, type);
  }

  @Test
  void stats_matches_the_schema() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2))) {
      for (int i = 0; i < 5; i++) {
        t.get("/");
      }
      JsonNode s = stats(t);

      JsonNode server = field(s, "server", "object");
      assertThat(field(server, "name", "string").asText()).isEqualTo("narwhal");
      assertThat(field(server, "version", "string").asText()).isEqualTo(Server.VERSION);
      assertThat(field(server, "pid", "int").asLong()).isEqualTo(ProcessHandle.current().pid());
      field(server, "started_at", "instant");
      assertThat(field(server, "phase", "int").asInt()).isEqualTo(1);
      assertThat(field(server, "state", "string").asText()).isEqualTo("serving");
      assertThat(field(s, "target_workers", "int").asInt()).isEqualTo(2);
      assertThat(field(s, "backlog", "int").asInt()).isZero();

      JsonNode totals = field(s, "totals", "object");
      assertThat(field(totals, "requests", "int").asLong()).isEqualTo(5);
      JsonNode responses = field(totals, "responses", "object");
      assertThat(List.of("2xx", "3xx", "4xx", "5xx")).allSatisfy(c -> field(responses, c, "int"));
      assertThat(responses.get("2xx").asLong()).isEqualTo(5);
      assertThat(field(totals, "spawned", "int").asLong()).isEqualTo(2);
      assertThat(List.of("recycled", "timed_out", "crashed", "reloads"))
          .allSatisfy(k -> assertThat(field(totals, k, "int").asLong()).isZero());

      JsonNode workers = field(s, "workers", "array");
      assertThat(workers).hasSize(2);
      for (JsonNode w : workers) {
        field(w, "index", "int");
        assertThat(field(w, "phase", "int").asInt()).isEqualTo(1);
        assertThat(field(w, "state", "string").asText()).isIn("booting", "idle", "busy", "draining");
        field(w, "served", "int");
        assertThat(field(w, "in_flight", "int").asInt()).isZero();
        field(w, "started_at", "instant");
        assertThat(field(w, "current", "array")).isEmpty();
      }
      assertThat(workers.findValues("index")).extracting(JsonNode::asInt).containsExactly(1, 2);
      // a worker counts a request as served just after its response went out
      await().atMost(WAIT).untilAsserted(() -> assertThat(stats(t).get("workers").findValues("served"))
          .extracting(JsonNode::asLong).satisfies(served -> assertThat(served.stream().mapToLong(Long::longValue).sum())
              .isEqualTo(5)));
    }
  }

  @Test
  void a_slow_request_shows_its_worker_busy_with_the_request_and_its_age() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application app = request -> {
      if (request.path().equals("/slow")) {
        release.await(30, TimeUnit.SECONDS);
      }
      return Response.ok("ok");
    };
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(2))) {
      CompletableFuture<HttpResponse<String>> slow = t.getAsync("/slow?x=1");

      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode s = stats(t);
        JsonNode busy = null;
        for (JsonNode w : s.get("workers")) {
          if (w.get("state").asText().equals("busy")) {
            busy = w;
          }
        }
        assertThat(busy).as("a busy worker in %s", s).isNotNull();
        assertThat(busy.get("in_flight").asInt()).isEqualTo(1);
        JsonNode current = busy.get("current");
        assertThat(current).hasSize(1);
        assertThat(current.get(0).get("method").asText()).isEqualTo("GET");
        assertThat(current.get(0).get("path").asText()).isEqualTo("/slow");
        assertThat(current.get(0).get("age_ms").asLong()).isGreaterThanOrEqualTo(200);
        assertThat(s.get("in_flight").asInt()).isEqualTo(1);
        assertThat(s.get("utilization").asDouble()).isEqualTo(0.5);
      });
      release.countDown();
      assertThat(slow.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      await().atMost(WAIT).untilAsserted(() -> assertThat(stats(t).get("workers").findValues("state"))
          .extracting(JsonNode::asText).containsOnly("idle"));
    }
  }

  @Test
  void stats_carries_the_traffic_and_restarts_the_dashboard_draws() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2))) {
      for (int i = 0; i < 20; i++) {
        t.get("/");
      }
      t.server.scaleDown();
      await().atMost(WAIT).untilAsserted(() -> {
        JsonNode s = stats(t);
        assertThat(s.at("/restarts/scale").asLong()).isEqualTo(1);
        assertThat(s.at("/recent_restarts/0/reason").asText()).isEqualTo("scale");
        assertThat(s.at("/traffic/last_minute/requests").asLong()).isEqualTo(20);
        assertThat(s.at("/traffic/last_minute/p50_ms").isNumber()).isTrue();
        long sum = 0;
        for (JsonNode n : s.at("/traffic/requests")) {
          sum += n.asLong();
        }
        assertThat(sum).isEqualTo(20);
      });
    }
  }

  @Test
  void threads_dumps_every_thread_with_workers_named_after_their_slot_and_phase() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2))) {
      HttpResponse<String> text = t.adminGet("/threads");
      assertThat(text.statusCode()).isEqualTo(200);
      assertThat(text.body()).startsWith("Thread dump of pid " + ProcessHandle.current().pid())
          .contains("\"narwhal-worker-1-phase-1\"", "\"narwhal-worker-2-phase-1\"", "java.lang.Thread.State: ",
              "\tat ");

      // one dump a second server-wide: the second waits its turn
      AtomicReference<HttpResponse<String>> second = new AtomicReference<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        second.set(t.adminGet("/threads?format=json"));
        return second.get().statusCode() != 429;
      });
      assertThat(second.get().statusCode()).isEqualTo(200);
      JsonNode json = JSON.readTree(second.get().body());
      assertThat(json.get(0).get("name").asText()).startsWith("narwhal-worker-");
      assertThat(json.get(0).get("stack").size()).isPositive();
    }
  }
}
