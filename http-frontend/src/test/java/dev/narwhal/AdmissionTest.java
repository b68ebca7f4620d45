package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.testing.AdminProbe;
import dev.narwhal.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** concurrency-limit on a real server: refused at once with 503 + Retry-After, never run, counted. */
class AdmissionTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** Kamon on, with a short tick so the shed counter shows quickly. */
  static final UnaryOperator<ServerConfig> METRICS = c -> c.with(Settings.METRICS, true)
      .with(Settings.METRICS_TICK_INTERVAL, Duration.ofMillis(200));

  @Test
  void with_a_fixed_limit_of_2_the_third_concurrent_request_is_shed_at_once_and_never_runs() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger ran = new AtomicInteger();
    Application blocking = r -> {
      ran.incrementAndGet();
      release.await(20, TimeUnit.SECONDS);
      return Response.ok("done");
    };
    // four workers: without the limit the third request would start at once
    try (TestServer t = TestServer.start(blocking, c -> METRICS.apply(c).withWorkers(4)
        .with(Settings.CONCURRENCY_LIMIT, "2"))) {
      List<CompletableFuture<HttpResponse<String>>> admitted = List.of(t.getAsync("/a"), t.getAsync("/b"));
      await().atMost(WAIT).until(() -> ran.get() == 2);

      long start = System.nanoTime();
      HttpResponse<String> shed = t.get("/c");
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("retry-after")).contains("1");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(ran.get()).as("the shed request never reached the app").isEqualTo(2);

      JsonNode admission = AdminProbe.stats(t).get("admission");
      assertThat(admission.get("concurrency_limit").asText()).isEqualTo("2");
      assertThat(admission.get("limit").asInt()).isEqualTo(2);
      assertThat(admission.get("in_flight").asInt()).isEqualTo(2);
      assertThat(admission.get("shed").get("concurrency_limit").asLong()).isEqualTo(1);
      await().atMost(WAIT).untilAsserted(() -> assertThat(AdminProbe.scrape(t)
          .value("narwhal_requests_shed_total", Map.of("reason", "concurrency_limit"))).hasValue(1));

      release.countDown();
      assertThat(admitted).allSatisfy(f -> assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200));
      await().atMost(WAIT).until(() -> t.server.stats().admission().inFlight() == 0);
      assertThat(t.get("/d").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void with_auto_a_sustained_overload_is_shed_and_no_admitted_request_waits_long() throws Exception {
    Application slow = r -> {
      Thread.sleep(50);
      return Response.ok("slept");
    };
    int clients = 16;
    ConcurrentLinkedQueue<Long> admittedMillis = new ConcurrentLinkedQueue<>();
    AtomicInteger shed = new AtomicInteger();
    AtomicInteger shedWithoutRetryAfter = new AtomicInteger();
    try (TestServer t = TestServer.start(slow, c -> c.withWorkers(2)
        .with(Settings.CONCURRENCY_LIMIT, "auto")
        .with(Settings.CONCURRENCY_LIMIT_INITIAL, 8)
        .with(Settings.CONCURRENCY_LIMIT_MIN, 2)
        .with(Settings.CONCURRENCY_LIMIT_MAX, 100));
        ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
      long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
      List<CompletableFuture<Void>> loops = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        loops.add(CompletableFuture.runAsync(() -> {
          while (System.nanoTime() < until) {
            long start = System.nanoTime();
            HttpResponse<String> response;
            try {
              response = t.get("/work");
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            if (response.statusCode() == 200) {
              admittedMillis.add(Duration.ofNanos(System.nanoTime() - start).toMillis());
            } else if (response.statusCode() == 503) {
              shed.incrementAndGet();
              if (response.headers().firstValue("retry-after").isEmpty()) {
                shedWithoutRetryAfter.incrementAndGet();
              }
              LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // a client pacing itself, not a wait
            }
          }
        }, load));
      }
      CompletableFuture.allOf(loops.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      assertThat(shed.get()).as("some requests were shed").isPositive();
      assertThat(shedWithoutRetryAfter.get()).isZero();
      assertThat(admittedMillis).as("some requests were served").isNotEmpty();
      // 16 clients on 2 workers of 50 ms: without a limit each waits about 400 ms; a loose bound, the box is loaded
      assertThat(admittedMillis.stream().mapToLong(Long::longValue).max().orElseThrow()).isLessThan(3_000);
      assertThat(t.server.stats().admission().shedByLimit()).isEqualTo(shed.get());
      int limit = t.server.stats().admission().limit();
      assertThat(limit).isBetween(2, 100);
    }
  }

  @Test
  void with_the_limit_off_a_full_backlog_is_shed_and_counted_as_such() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application blocking = r -> {
      release.await(20, TimeUnit.SECONDS);
      return Response.ok("done");
    };
    try (TestServer t = TestServer.start(blocking, c -> METRICS.apply(c).withWorkers(1).withBacklog(1))) {
      List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
      accepted.add(t.getAsync("/running"));
      await().atMost(WAIT).until(() -> t.server.stats().workers().stream().allMatch(w -> w.inFlight() == 1));
      accepted.add(t.getAsync("/waiting"));
      await().atMost(WAIT).until(() -> t.server.stats().backlog() == 1);

      HttpResponse<String> shed = t.get("/one-too-many");
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("retry-after")).contains("1");

      JsonNode admission = AdminProbe.stats(t).get("admission");
      assertThat(admission.get("concurrency_limit").asText()).isEqualTo("off");
      assertThat(admission.get("shed").get("backlog_full").asLong()).isEqualTo(1);
      assertThat(admission.get("shed").get("concurrency_limit").asLong()).isZero();
      await().atMost(WAIT).untilAsserted(() -> assertThat(AdminProbe.scrape(t)
          .value("narwhal_requests_shed_total", Map.of("reason", "backlog_full"))).hasValue(1));

      release.countDown();
      assertThat(accepted).allSatisfy(f -> assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200));
    }
  }
}
