package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Stats;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.testing.AdminProbe;
import dev.narwhal.testing.LogCapture;
import dev.narwhal.testing.PrometheusText;
import dev.narwhal.testing.TestServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Named worker pools on a real server: routing, each pool's own settings, scaling, reload, isolation. */
class PoolsTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  /** /sleep?ms=N sleeps, /block waits for {@link #release}; anything else answers at once. */
  static final class App implements Application {
    static final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Response handle(Request request) throws Exception {
      if (request.path().endsWith("/sleep")) {
        Thread.sleep(Long.parseLong(request.queryParam("ms").orElse("10")));
      } else if (request.path().endsWith("/fail")) {
        throw new IllegalStateException("failed on purpose");
      } else if (request.path().endsWith("/block")) {
        release.await(60, TimeUnit.SECONDS);
      }
      return Response.ok("ok " + request.path());
    }
  }

  /** Counts the broadcasts its instances (one per worker) receive. */
  static final class Listening implements Application {
    final java.util.concurrent.atomic.AtomicInteger heard;

    Listening(java.util.concurrent.atomic.AtomicInteger heard) {
      this.heard = heard;
    }

    @Override
    public void onMessage(Object message) {
      heard.incrementAndGet();
    }

    @Override
    public Response handle(Request request) {
      return Response.ok("ok");
    }
  }

  /** The test's config with {@code pools} (HOCON, inside narwhal.pools) over it. */
  static UnaryOperator<ServerConfig> pools(String hocon, UnaryOperator<ServerConfig> more) {
    ServerConfig parsed = ServerConfig.parse("narwhal.pools { " + hocon + " }");
    return c -> more.apply(c.with(Settings.POOLS, parsed.get(Settings.POOLS)));
  }

  static TestServer start(String hocon, UnaryOperator<ServerConfig> more) throws ServerStartException {
    return TestServer.start(App::new, pools(hocon, more));
  }

  static Stats pool(TestServer t, String name) {
    return t.server.stats().pools().get(name);
  }

  @Test
  void requests_go_to_the_pool_their_route_names_and_the_rest_to_the_default_pool() throws Exception {
    try (TestServer t = start("reports { workers = 2, routes = [\"/reports\", \"POST /exports\"] }",
        c -> c.withWorkers(1))) {
      for (int i = 0; i < 3; i++) {
        assertThat(t.get("/reports/x").body()).isEqualTo("ok /reports/x");
      }
      assertThat(t.get("/hello").statusCode()).isEqualTo(200);
      assertThat(t.get("/reportsx").statusCode()).isEqualTo(200); // not at a segment boundary: default
      assertThat(t.get("/exports").statusCode()).isEqualTo(200);  // a GET: the route is POST only

      // a worker counts a request after its answer is sent: the client can be ahead of the stats
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(pool(t, "reports").served()).isEqualTo(3);
        assertThat(pool(t, "default").served()).isEqualTo(3);
      });
      Stats stats = t.server.stats();
      assertThat(stats.pools()).containsOnlyKeys("default", "reports");
      assertThat(pool(t, "reports").targetWorkers()).isEqualTo(2);
      // the top-level figures are the default pool's, as before pools existed
      assertThat(stats.targetWorkers()).isEqualTo(1);
      assertThat(stats.workers()).hasSize(1);
      assertThat(t.server.pools()).containsExactly("default", "reports");
    }
  }

  @Test
  void a_named_pools_own_timeout_answers_504_while_the_default_pools_longer_one_does_not() throws Exception {
    try (LogCapture slowPoolLog = new LogCapture("dev.narwhal.supervisor.Arbiter.slow");
        TestServer t = start("slow { timeout = 1s, routes = [\"/slow\"] }",
            c -> c.with(Settings.TIMEOUT, Duration.ofSeconds(30)))) {
      CompletableFuture<HttpResponse<String>> onDefault = t.getAsync("/sleep?ms=2500");
      assertThat(t.get("/slow/sleep?ms=2500").statusCode()).isEqualTo(504);
      assertThat(onDefault.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(pool(t, "slow").timedOut()).isEqualTo(1);
      assertThat(pool(t, "default").timedOut()).isZero();
      // a named pool's arbiter logs under its own name, so the line says which pool
      assertThat(slowPoolLog.text()).contains("WORKER TIMEOUT (worker 1, GET /slow/sleep");
    }
  }

  @Test
  void a_named_pool_recycles_at_its_own_max_requests() throws Exception {
    try (TestServer t = start("reports { workers = 1, max-requests = 3, routes = [\"/reports\"] }",
        c -> c.withWorkers(1))) {
      for (int i = 0; i < 5; i++) {
        assertThat(t.get("/reports/x").statusCode()).isEqualTo(200);
        assertThat(t.get("/hello").statusCode()).isEqualTo(200);
      }
      await().atMost(WAIT).until(() -> pool(t, "reports").restarts().get(Stats.RestartReason.MAX_REQUESTS) >= 1);
      assertThat(pool(t, "default").recycled()).isZero();
      assertThat(pool(t, "default").spawned()).isEqualTo(1);
    }
  }

  @Test
  void a_named_pool_scales_through_the_server_and_the_control_api_and_an_unknown_pool_is_refused()
      throws Exception {
    try (TestServer t = start("reports { workers = 1, routes = [\"/reports\"] }", c -> c.withWorkers(2))) {
      t.server.scaleUp("reports");
      await().atMost(WAIT).until(() -> pool(t, "reports").bootedWorkers() == 2);
      assertThat(pool(t, "default").targetWorkers()).isEqualTo(2);

      HttpResponse<String> up = t.adminPost("/control/scale?delta=2&pool=reports", t.token());
      assertThat(up.statusCode()).isEqualTo(202);
      assertThat(up.body()).contains("\"pool\" : \"reports\"").contains("\"target_workers\" : 4");
      await().atMost(WAIT).until(() -> pool(t, "reports").bootedWorkers() == 4);

      t.server.scaleDown("reports");
      await().atMost(WAIT).until(() -> pool(t, "reports").workers().size() == 3);
      assertThat(pool(t, "default").targetWorkers()).isEqualTo(2);

      HttpResponse<String> unknown = t.adminPost("/control/scale?delta=1&pool=nope", t.token());
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("no pool named 'nope'");
      assertThatThrownBy(() -> t.server.scaleUp("nope")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("pools: default, reports");
    }
  }

  @Test
  void a_reload_rolls_every_pool_with_its_new_settings_and_refuses_a_changed_set_of_pools() throws Exception {
    try (TestServer t = start("reports { workers = 1, routes = [\"/reports\"] }", c -> c.withWorkers(1))) {
      t.server.reload();
      await().atMost(WAIT).untilAsserted(() -> {
        for (Stats s : t.server.stats().pools().values()) {
          assertThat(s.phase()).isEqualTo(2);
          assertThat(s.workers()).extracting(Stats.WorkerStatus::phase).containsOnly(2);
        }
      });

      ServerConfig bigger = pools("reports { workers = 3, routes = [\"/reports\"] }", c -> c)
          .apply(t.server.config());
      t.server.reload(bigger, App::new);
      await().atMost(WAIT).until(() -> pool(t, "reports").bootedWorkers() == 3);
      assertThat(pool(t, "reports").phase()).isEqualTo(3);
      assertThat(pool(t, "default").targetWorkers()).isEqualTo(1);

      ServerConfig other = pools("other { routes = [\"/other\"] }", c -> c).apply(t.server.config());
      assertThatThrownBy(() -> t.server.reload(other, App::new)).isInstanceOf(ServerStartException.class)
          .hasMessageContaining("pools changed: restart needed");
      assertThat(t.get("/reports/x").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_named_pool_whose_workers_cannot_boot_stops_the_start_with_status_3_naming_the_pool() {
    Supplier<Application> slowBoot = () -> new Application() {
      @Override
      public void onStart() throws Exception {
        Thread.sleep(300);
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("ok");
      }
    };
    assertThatThrownBy(() -> TestServer.start(slowBoot,
        pools("reports { boot-timeout = 50ms, routes = [\"/reports\"] }", c -> c.withWorkers(1))))
        .isInstanceOf(ServerStartException.class)
        .hasMessageContaining("pool reports: ")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(3));
  }

  @Test
  void a_graceful_stop_drains_every_pool_and_answers_what_they_had_accepted() throws Exception {
    TestServer t = start("reports { workers = 1, routes = [\"/reports\"] }", c -> c.withWorkers(1));
    try {
      CompletableFuture<HttpResponse<String>> slow = t.getAsync("/reports/sleep?ms=1500");
      CompletableFuture<HttpResponse<String>> other = t.getAsync("/sleep?ms=1500");
      await().atMost(WAIT).until(() -> pool(t, "reports").busy() == 1 && pool(t, "default").busy() == 1);

      CompletionStage<Integer> stopped = t.server.stop(Duration.ofSeconds(20));
      assertThat(slow.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(other.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(stopped.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    } finally {
      t.close();
    }
  }

  @Test
  void a_broadcast_reaches_every_worker_of_every_pool_once() throws Exception {
    java.util.concurrent.atomic.AtomicInteger heard = new java.util.concurrent.atomic.AtomicInteger();
    try (TestServer t = TestServer.start(() -> new Listening(heard),
        pools("reports { workers = 2, routes = [\"/reports\"] }", c -> c.withWorkers(1)))) {
      t.server.broadcast("drop your cache");
      await().atMost(WAIT).until(() -> heard.get() == 3);
    }
  }

  @Test
  void stats_json_and_the_metrics_show_every_pool() throws Exception {
    try (TestServer t = start("reports { workers = 2, routes = [\"/reports\"] }", c -> MetricsTest.METRICS
        .apply(c.withWorkers(1)))) {
      assertThat(t.get("/reports/x").statusCode()).isEqualTo(200);
      await().atMost(WAIT).until(() -> pool(t, "reports").served() == 1);

      JsonNode stats = new ObjectMapper().readTree(t.adminGet("/stats").body());
      assertThat(stats.path("target_workers").asInt()).isEqualTo(1);
      assertThat(stats.path("pools").path("default").path("target_workers").asInt()).isEqualTo(1);
      JsonNode reports = stats.path("pools").path("reports");
      assertThat(reports.path("target_workers").asInt()).isEqualTo(2);
      assertThat(reports.path("served").asInt()).isEqualTo(1);
      assertThat(reports.path("busy").asInt()).isZero();
      assertThat(reports.path("waiting").asInt()).isZero();
      assertThat(reports.path("totals").path("spawned").asInt()).isEqualTo(2);

      await().atMost(WAIT).untilAsserted(() -> {
        PrometheusText m = AdminProbe.scrape(t);
        assertThat(m.value("narwhal_pool_workers", Map.of("pool", "reports", "state", "idle"))).hasValue(2);
        assertThat(m.value("narwhal_pool_workers", Map.of("pool", "default", "state", "idle"))).hasValue(1);
        assertThat(m.value("narwhal_pool_backlog", Map.of("pool", "reports"))).hasValue(0);
        assertThat(m.value("narwhal_pool_requests_total", Map.of("pool", "reports"))).hasValue(1);
        assertThat(m.value("narwhal_pool_request_queue_seconds_count", Map.of("pool", "reports"))).hasValue(1);
        assertThat(m.value("narwhal_pool_restarts_total", Map.of("pool", "reports", "reason", "timeout")))
            .hasValue(0);
        // the untagged series stay the default pool's
        assertThat(m.value("narwhal_workers", Map.of("state", "idle"))).hasValue(1);
      });
    }
  }

  @Test
  void a_named_pools_own_concurrency_limit_sheds_there_and_not_in_the_default_pool() throws Exception {
    try (TestServer t = start("reports { workers = 2, concurrency-limit = 1, routes = [\"/reports\"] }",
        c -> c.withWorkers(1))) {
      CompletableFuture<HttpResponse<String>> running = t.getAsync("/reports/sleep?ms=3000");
      await().atMost(WAIT).until(() -> pool(t, "reports").busy() == 1);

      HttpResponse<String> shed = t.get("/reports/x");
      assertThat(shed.statusCode()).isEqualTo(503);
      assertThat(shed.headers().firstValue("Retry-After")).contains("1");
      assertThat(t.get("/hello").statusCode()).isEqualTo(200);
      assertThat(pool(t, "reports").admission().limit()).isEqualTo(1);
      assertThat(pool(t, "reports").admission().shedByLimit()).isEqualTo(1);
      assertThat(pool(t, "default").admission().mode()).isEqualTo("off");
      assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  /** Any exception in a request means the worker is broken: restart it at once. */
  public static final class RestartOnAnyFailure implements dev.narwhal.spi.SupervisionPolicy {
    @Override
    public Decision decide(Failure failure) {
      return failure instanceof HandlerFailed ? dev.narwhal.spi.SupervisionPolicy.restartNow() : DEFAULT.decide(failure);
    }
  }

  @Test
  void a_named_pool_follows_its_own_supervision_policy_and_the_default_pool_keeps_its_own() throws Exception {
    try (TestServer t = start("reports { workers = 1, supervision-policy = \""
        + RestartOnAnyFailure.class.getName() + "\", routes = [\"/reports\"] }", c -> c.withWorkers(1))) {
      assertThat(t.get("/reports/fail").statusCode()).isEqualTo(500);
      assertThat(t.get("/fail").statusCode()).isEqualTo(500);

      await().atMost(WAIT).until(() -> pool(t, "reports").crashed() == 1 && pool(t, "reports").bootedWorkers() == 1);
      assertThat(pool(t, "reports").spawned()).isEqualTo(2);
      assertThat(pool(t, "default").crashed()).isZero(); // the default policy keeps a worker on an exception
      assertThat(pool(t, "default").spawned()).isEqualTo(1);
    }
  }

  @Test
  void a_slow_route_saturating_its_pool_does_not_block_the_default_pool() throws Exception {
    try (TestServer t = start("reports { workers = 1, backlog = 4, routes = [\"/reports\"] }",
        c -> c.withWorkers(1))) {
      List<CompletableFuture<HttpResponse<String>>> blocked = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        blocked.add(t.getAsync("/reports/block"));
      }
      await().atMost(WAIT).until(() -> pool(t, "reports").busy() == 1 && pool(t, "reports").backlog() == 2);

      for (int i = 0; i < 5; i++) {
        assertThat(t.getAsync("/hello").get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
      assertThat(blocked).noneMatch(CompletableFuture::isDone);
      App.release.countDown();
      for (CompletableFuture<HttpResponse<String>> b : blocked) {
        assertThat(b.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      }
    }
  }
}
