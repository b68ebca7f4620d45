package dev.narwhal;

import dev.narwhal.testing.AdminProbe;
import dev.narwhal.testing.PrometheusText;
import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Stats;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.supervisor.WorkerState;
import org.junit.jupiter.api.Test;

/** /metrics on the admin bind: Kamon's Prometheus text with Narwhal's metrics, counted exactly. */
class MetricsTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  static final Application APP = request -> switch (request.path()) {
    case "/hang" -> {
      while (true) {
        LockSupport.park();
        Thread.interrupted();
      }
    }
    case "/missing" -> Response.text(404, "no\n");
    default -> Response.ok("ok");
  };

  /** Kamon on, with a short tick so a test sees its numbers quickly. */
  static final UnaryOperator<ServerConfig> METRICS = c -> c.with(Settings.METRICS, true)
      .with(Settings.METRICS_TICK_INTERVAL, Duration.ofMillis(200));

  static PrometheusText scrape(TestServer t) throws Exception {
    return AdminProbe.scrape(t);
  }

  @Test
  void after_100_requests_metrics_shows_every_metric_with_exact_counts() throws Exception {
    try (TestServer t = TestServer.start(APP, c -> METRICS.apply(c).withWorkers(3))) {
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (int i = 0; i < 90; i++) {
        sent.add(t.getAsync("/"));
      }
      for (int i = 0; i < 10; i++) {
        sent.add(t.getAsync("/missing"));
      }
      for (CompletableFuture<HttpResponse<String>> f : sent) {
        f.join();
      }

      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = scrape(t);
        assertThat(m.value("narwhal_requests_total", Map.of("method", "GET", "status", "200"))).hasValue(90);
        assertThat(m.value("narwhal_requests_total", Map.of("method", "GET", "status", "404"))).hasValue(10);
        assertThat(m.value("narwhal_request_duration_seconds_count")).hasValue(100);
        assertThat(m.value("narwhal_request_queue_seconds_count")).hasValue(100);
        assertThat(m.value("narwhal_request_duration_seconds_bucket", Map.of("le", "+Inf"))).hasValue(100);
        assertThat(m.value("narwhal_requests_in_flight")).hasValue(0);
        assertThat(m.value("narwhal_backlog")).hasValue(0);
        assertThat(m.value("narwhal_workers", Map.of("state", "idle"))).hasValue(3);
        assertThat(m.value("narwhal_workers", Map.of("state", "busy"))).hasValue(0);
        assertThat(m.value("narwhal_workers", Map.of("state", "booting"))).hasValue(0);
        assertThat(m.value("narwhal_workers", Map.of("state", "draining"))).hasValue(0);
        assertThat(m.value("narwhal_worker_utilization")).hasValue(0);
        for (String reason : List.of("timeout", "max_requests", "crash", "reload", "scale")) {
          assertThat(m.value("narwhal_worker_restarts_total", Map.of("reason", reason))).as(reason).hasValue(0);
        }
        assertThat(m.has("jvm_memory_")).as("JVM metrics").isTrue();
        assertThat(m.has("jvm_threads_")).as("JVM metrics").isTrue();
        assertThat(m.has("process_cpu_usage")).as("process metrics").isTrue();
      });
    }
  }

  @Test
  void a_timed_out_request_bumps_the_timeout_restart_counter() throws Exception {
    try (TestServer t = TestServer.start(APP, c -> METRICS.apply(c).withWorkers(2)
        .with(Settings.TIMEOUT, Duration.ofSeconds(1)))) {
      assertThat(t.get("/hang").statusCode()).isEqualTo(504);

      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = scrape(t);
        assertThat(m.value("narwhal_worker_restarts_total", Map.of("reason", "timeout"))).hasValue(1);
        assertThat(m.value("narwhal_requests_total", Map.of("method", "GET", "status", "504"))).hasValue(1);
        assertThat(m.value("narwhal_workers", Map.of("state", "idle"))).hasValue(2);
      });
    }
  }

  @Test
  void a_busy_worker_shows_in_utilization_and_in_flight() throws Exception {
    try (TestServer t = TestServer.start(APP, c -> METRICS.apply(c).withWorkers(2)
        .with(Settings.TIMEOUT, Duration.ofSeconds(30)))) {
      CompletableFuture<HttpResponse<String>> hanging = t.getAsync("/hang");

      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = scrape(t);
        assertThat(m.value("narwhal_requests_in_flight")).hasValue(1);
        assertThat(m.value("narwhal_workers", Map.of("state", "busy"))).hasValue(1);
        assertThat(m.value("narwhal_worker_utilization")).hasValue(0.5);
      });
      hanging.cancel(true);
    }
  }

  /**
   * One restart of each kind but timeout (which has its own test, and costs a timeout's wait): a
   * recycle at max-requests, a crash (a handler raising an Error), a reload and a scale down, each
   * counted once, the same in /metrics as in /stats. The scale up before the scale down is no
   * restart, but its worker shows as booting while its onStart is held; the worker the scale down
   * retires shows as draining while it finishes the request in hand.
   */
  @Test
  void one_restart_of_each_kind_is_counted_once_and_booting_and_draining_workers_are_gauged() throws Exception {
    CountDownLatch finish = new CountDownLatch(1);
    HeldBoot app = new HeldBoot(request -> {
      switch (request.path()) {
        case "/crash" -> throw new AssertionError("a corrupted worker, expected by the test");
        case "/hold" -> finish.await(30, TimeUnit.SECONDS);
        default -> { }
      }
      return Response.ok("ok");
    });
    // one worker, so each step knows which worker it hits; a limit of 3 that only the first
    // worker reaches (each later one serves at most one request)
    try (TestServer t = TestServer.start(app, c -> METRICS.apply(c).withWorkers(1)
        .with(Settings.MAX_REQUESTS, 3)); app) {
      for (int i = 0; i < 3; i++) {
        assertThat(t.get("/").statusCode()).isEqualTo(200);
      }
      awaitOneIdleWorker(t, s -> s.recycled() == 1);

      assertThat(t.get("/crash").statusCode()).isEqualTo(500);
      awaitOneIdleWorker(t, s -> s.crashed() == 1);

      t.server.reload();
      awaitOneIdleWorker(t, s -> s.phase() == 2 && s.workers().getFirst().phase() == 2);

      CompletableFuture<HttpResponse<String>> held = t.getAsync("/hold");
      await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BUSY) == 1);
      app.hold();
      t.server.scaleUp();
      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = scrape(t);
        assertThat(m.value("narwhal_workers", Map.of("state", "booting"))).hasValue(1);
        assertThat(m.value("narwhal_workers", Map.of("state", "busy"))).hasValue(1);
      });
      app.release();
      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = scrape(t);
        assertThat(m.value("narwhal_workers", Map.of("state", "booting"))).hasValue(0);
        assertThat(m.value("narwhal_workers", Map.of("state", "idle"))).hasValue(1);
      });

      t.server.scaleDown(); // retires the oldest: the one running /hold
      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = scrape(t);
        assertThat(m.value("narwhal_workers", Map.of("state", "draining"))).hasValue(1);
        assertThat(m.value("narwhal_workers", Map.of("state", "busy"))).hasValue(0);
        assertThat(m.value("narwhal_workers", Map.of("state", "idle"))).hasValue(1);
      });
      finish.countDown();
      assertThat(held.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

      Map<String, Integer> expected = Map.of("max_requests", 1, "crash", 1, "reload", 1, "scale", 1, "timeout", 0);
      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = scrape(t);
        JsonNode stats = StatsTest.stats(t);
        assertThat(m.value("narwhal_workers", Map.of("state", "draining"))).hasValue(0);
        assertThat(m.value("narwhal_workers", Map.of("state", "idle"))).hasValue(1);
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
          assertThat(m.value("narwhal_worker_restarts_total", Map.of("reason", e.getKey()))).as(e.getKey())
              .hasValue(e.getValue())
              .hasValue(stats.path("restarts").path(e.getKey()).asDouble());
        }
        assertThat(stats.at("/totals/recycled").asLong()).isEqualTo(1);
        assertThat(stats.at("/totals/crashed").asLong()).isEqualTo(1);
        assertThat(stats.at("/totals/reloads").asLong()).isEqualTo(1);
        assertThat(m.value("narwhal_requests_total", Map.of("method", "GET", "status", "200"))).hasValue(4);
        assertThat(m.value("narwhal_requests_total", Map.of("method", "GET", "status", "500"))).hasValue(1);
      });
    } finally {
      finish.countDown();
    }
  }

  /** Waits for {@code done}, and for the pool to be back to its one worker, booted and idle. */
  static void awaitOneIdleWorker(TestServer t, java.util.function.Predicate<Stats> done) {
    await().atMost(WAIT).until(() -> {
      Stats s = t.server.stats();
      return done.test(s) && s.workers().size() == 1 && s.workersIn(WorkerState.IDLE) == 1;
    });
  }

  @Test
  void with_metrics_off_the_endpoint_says_so_with_404() throws Exception {
    try (TestServer t = TestServer.start(APP, c -> c.with(Settings.METRICS, false))) {
      HttpResponse<String> response = t.adminGet("/metrics");
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("metrics = off");
    }
  }
}
