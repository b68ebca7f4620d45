package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.test.NarwhalServer;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worker SPI's examples, each under a real server started with the test kit. */
class WorkerExtensionTest {
  static NarwhalServer start(String workerClass, int workers, int maxRequests) throws Exception {
    return NarwhalServer.of(HelloApp::new).workerClass(workerClass).workers(workers)
        .setting("max-requests", maxRequests).setting("metrics", false).start();
  }

  static HttpResponse<String> get(NarwhalServer server) throws Exception {
    return server.get("/");
  }

  @Test
  void the_rate_limiter_answers_429_once_a_workers_bucket_is_empty() throws Exception {
    try (NarwhalServer server = start("dev.narwhal.examples.RateLimitedWorker", 1, 0)) {
      List<Integer> statuses = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        statuses.add(get(server).statusCode());
      }
      assertThat(statuses.subList(0, 4)).containsOnly(200);
      assertThat(statuses).contains(429);
    }
  }

  @Test
  void the_rate_limiters_bucket_is_per_worker_and_refilled_by_recycling() throws Exception {
    try (NarwhalServer server = start("dev.narwhal.examples.RateLimitedWorker", 1, 3)) {
      for (int i = 0; i < 3; i++) {
        assertThat(get(server).statusCode()).isEqualTo(200);
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> server.server().stats().recycled() >= 1
          && server.server().stats().workers().size() == 1);
      for (int i = 0; i < 3; i++) {
        assertThat(get(server).statusCode()).as("a fresh worker has a full bucket").isEqualTo(200);
      }
    }
  }

  @Test
  void the_keeper_child_actor_runs_under_each_worker() throws Exception {
    try (NarwhalServer server = start("dev.narwhal.examples.KeeperWorker", 1, 0)) {
      HttpResponse<String> first = get(server);
      assertThat(first.body()).isEqualTo("Hello, World!");
      assertThat(first.headers().firstValue("content-type")).contains("text/plain; charset=UTF-8");
      await().atMost(Duration.ofSeconds(20)).until(() ->
          Long.parseLong(get(server).headers().firstValue("x-keeper-refreshes").orElse("0")) >= 3);
    }
  }

  @Test
  void a_shared_actor_beside_the_arbiter_counts_for_every_worker_and_outlives_recycling() throws Exception {
    try (NarwhalServer server = start("dev.narwhal.examples.VisitCountingWorker", 2, 3)) {
      List<Long> visits = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        HttpResponse<String> response = get(server);
        assertThat(response.body()).isEqualTo("Hello, World!");
        visits.add(Long.parseLong(response.headers().firstValue("x-visits").orElseThrow()));
      }
      assertThat(server.server().stats().recycled()).as("workers were recycled on the way").isPositive();
      assertThat(visits).as("one count across workers and their replacements")
          .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
    }
  }

  @Test
  void an_unknown_worker_extension_is_a_start_error() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> start("com.example.NoSuchWorker", 1, 0))
        .hasMessageContaining("com.example.NoSuchWorker");
  }
}
