package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import dev.narwhal.config.ServerConfig;
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
    HttpResponse<String> response = t.adminGet("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return new PrometheusText(response.body());
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

  @Test
  void with_metrics_off_the_endpoint_says_so_with_404() throws Exception {
    try (TestServer t = TestServer.start(APP, c -> c.with(Settings.METRICS, false))) {
      HttpResponse<String> response = t.adminGet("/metrics");
      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains("metrics = off");
    }
  }
}
