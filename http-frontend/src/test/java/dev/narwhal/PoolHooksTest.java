package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.testing.TestServer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Server hooks fire for every pool's workers, and each worker they see names its pool. */
class PoolHooksTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  /** Which pools each hook saw workers of. */
  static final class Recording implements ServerHooks {
    final Map<String, Set<String>> pools = new ConcurrentHashMap<>();

    private void saw(String hook, WorkerInfo worker) {
      pools.computeIfAbsent(hook, h -> ConcurrentHashMap.newKeySet()).add(worker.pool());
    }

    @Override
    public void beforeWorkerStart(WorkerInfo worker) {
      saw("beforeWorkerStart", worker);
    }

    @Override
    public void afterWorkerAppInit(WorkerInfo worker) {
      saw("afterWorkerAppInit", worker);
    }

    @Override
    public void beforeRequest(WorkerInfo worker, Request request) {
      saw("beforeRequest " + request.path(), worker);
    }

    final AtomicInteger reloads = new AtomicInteger();

    @Override
    public void onReload() {
      reloads.incrementAndGet();
    }
  }

  @Test
  void a_hook_tells_a_named_pool_s_workers_from_the_default_pool_s() throws Exception {
    Recording hooks = new Recording();
    try (TestServer t = TestServer.start(() -> request -> Response.ok("ok"),
        PoolsTest.pools("reports { workers = 1, routes = [\"/reports\"] }", c -> c.withWorkers(2)), hooks)) {
      assertThat(t.get("/reports/x").statusCode()).isEqualTo(200);
      assertThat(t.get("/other").statusCode()).isEqualTo(200);

      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(hooks.pools.get("beforeWorkerStart")).containsExactlyInAnyOrder("default", "reports");
        assertThat(hooks.pools.get("afterWorkerAppInit")).containsExactlyInAnyOrder("default", "reports");
        assertThat(hooks.pools.get("beforeRequest /reports/x")).containsExactly("reports");
        assertThat(hooks.pools.get("beforeRequest /other")).containsExactly(WorkerInfo.DEFAULT_POOL);
      });
    }
  }

  @Test
  void a_reload_of_a_server_with_two_pools_calls_on_reload_once() throws Exception {
    Recording hooks = new Recording();
    try (TestServer t = TestServer.start(() -> request -> Response.ok("ok"),
        PoolsTest.pools("reports { workers = 1, routes = [\"/reports\"] }", c -> c.withWorkers(1)), hooks)) {
      t.server.reload();
      await().atMost(WAIT).until(() -> t.server.stats().pools().values().stream().allMatch(p -> p.phase() == 2));
      assertThat(hooks.reloads.get()).isEqualTo(1);
    }
  }
}
