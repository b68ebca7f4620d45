package dev.narwhal;

import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** /health/live and /health/ready, around a stop, through a rolling reload and while a worker boots. */
class HealthTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void live_and_ready_answer_200_once_the_pool_has_booted() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(2))) {
      assertThat(t.adminGet("/health/live").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = t.adminGet("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"status\" : \"ready\"", "\"booted_workers\" : 2");
      assertThat(t.server.isReady()).isTrue();
    }
  }

  @Test
  void ready_turns_503_on_the_first_probe_after_stop_while_accepted_requests_drain() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application app = request -> {
      release.await(30, TimeUnit.SECONDS);
      return Response.ok("done");
    };
    TestServer t = TestServer.start(app, c -> c.withWorkers(1));
    try {
      CompletableFuture<HttpResponse<String>> inFlight = t.getAsync("/");
      await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BUSY) == 1);
      assertThat(t.adminGet("/health/ready").statusCode()).isEqualTo(200); // also opens the connection

      // no timing: the stop marks the server unready before it returns, so the very first probe
      // after it (well within a load balancer's 100 ms) must already say 503
      CompletionStage<Integer> stopped = t.server.stop(Duration.ofSeconds(20));
      HttpResponse<String> firstProbe = t.adminGet("/health/ready");

      assertThat(firstProbe.statusCode()).isEqualTo(503);
      assertThat(firstProbe.body()).contains("draining");
      assertThat(t.adminGet("/health/live").statusCode()).isEqualTo(200);
      assertThat(t.adminGet("/stats").body()).contains("\"state\" : \"draining\"");
      release.countDown();
      assertThat(inFlight.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(stopped.toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
    } finally {
      release.countDown();
      t.close();
    }
  }

  @Test
  void ready_stays_200_throughout_a_rolling_reload() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("ok")), c -> c.withWorkers(3))) {
      ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
      AtomicBoolean polling = new AtomicBoolean(true);
      Thread poller = Thread.ofPlatform().name("ready-poller").start(() -> {
        while (polling.get()) {
          try {
            statuses.add(t.adminGet("/health/ready").statusCode());
          } catch (Exception e) {
            statuses.add(-1);
          }
        }
      });
      await().atMost(WAIT).until(() -> statuses.size() >= 5);

      t.server.reload();
      await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> {
        Stats s = t.server.stats();
        return s.phase() == 2 && s.workers().size() == 3
            && s.workers().stream().allMatch(w -> w.phase() == 2 && w.state() == WorkerState.IDLE);
      });
      int seenAfterReload = statuses.size();
      await().atMost(WAIT).until(() -> statuses.size() >= seenAfterReload + 5);
      polling.set(false);
      poller.join(10_000);

      assertThat(t.server.stats().restarts().get(Stats.RestartReason.RELOAD)).isEqualTo(3);
      assertThat(List.copyOf(statuses)).hasSizeGreaterThan(10).containsOnly(200);
    }
  }

  @Test
  void ready_is_503_while_fewer_than_the_target_workers_have_booted_and_200_once_they_have() throws Exception {
    HeldBoot app = new HeldBoot(r -> Response.ok("ok"));
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(1)); app) {
      assertThat(t.adminGet("/health/ready").statusCode()).isEqualTo(200);
      app.hold();
      t.server.scaleUp();
      await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BOOTING) == 1);

      HttpResponse<String> booting = t.adminGet("/health/ready");
      assertThat(booting.statusCode()).isEqualTo(503);
      JsonNode body = StatsTest.JSON.readTree(booting.body());
      assertThat(body.path("status").asText()).isEqualTo("booting");
      assertThat(body.path("booted_workers").asInt()).isEqualTo(1);
      assertThat(body.path("target_workers").asInt()).isEqualTo(2);
      assertThat(body.path("reason").asText()).isEqualTo("1 of 2 workers booted");
      assertThat(t.server.isReady()).isFalse();
      assertThat(t.get("/").statusCode()).as("the booted worker keeps serving").isEqualTo(200);

      app.release();
      await().atMost(WAIT).untilAsserted(() -> {
        HttpResponse<String> ready = t.adminGet("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(StatsTest.JSON.readTree(ready.body()).path("booted_workers").asInt()).isEqualTo(2);
      });
      assertThat(t.server.isReady()).isTrue();
    }
  }
}
