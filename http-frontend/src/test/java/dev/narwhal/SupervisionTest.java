package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.testing.LogCapture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.supervisor.Stats;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** The arbiter's jobs, observed from outside: over HTTP, in stats and in the error log. */
class SupervisionTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /** Never returns and swallows interrupts, like a handler stuck in a native call. */
  static Response hang() {
    while (true) {
      LockSupport.park();
      Thread.interrupted();
    }
  }

  static final Application CHAOS = request -> switch (request.path()) {
    case "/hang" -> hang();
    default -> Response.ok("ok");
  };

  @Test
  void a_stuck_request_gets_504_a_stack_trace_in_the_log_and_a_fresh_worker() throws Exception {
    try (LogCapture log = new LogCapture("dev.narwhal.supervisor.Arbiter");
        TestServer t = TestServer.start(CHAOS, c -> c.withWorkers(2).with(Settings.TIMEOUT, Duration.ofSeconds(2)))) {
      long start = System.nanoTime();
      HttpResponse<String> response = t.get("/hang");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(response.statusCode()).isEqualTo(504);
      // not before the timeout; well before the client's own 20 s (a loaded machine may add seconds)
      assertThat(took).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(12));
      await().atMost(WAIT).untilAsserted(() -> {
        Stats stats = t.server.stats();
        assertThat(stats.bootedWorkers()).isEqualTo(2);
        assertThat(stats.timedOut()).isEqualTo(1);
      });
      assertThat(t.server.stats().abandonedThreads()).isEqualTo(1);
      await().atMost(WAIT).untilAsserted(() -> assertThat(log.text())
          .contains("WORKER TIMEOUT (worker ")
          .contains("GET /hang, running 2.")
          .contains("at dev.narwhal.SupervisionTest.hang("));
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void recycling_under_load_loses_no_request() throws Exception {
    try (TestServer t = TestServer.start(CHAOS, c -> c.withWorkers(3)
        .with(Settings.MAX_REQUESTS, 20).with(Settings.MAX_REQUESTS_JITTER, 5))) {
      List<Integer> statuses = load(t, 8, 500);

      assertThat(statuses).hasSize(500).containsOnly(200);
      Stats stats = t.server.stats();
      assertThat(stats.recycled()).isGreaterThanOrEqualTo(15);
      assertThat(stats.crashed()).isZero();
    }
  }

  @Test
  void scaling_adds_and_retires_one_worker_at_a_time() throws Exception {
    try (TestServer t = TestServer.start(CHAOS, c -> c.withWorkers(3))) {
      t.server.scaleUp();
      await().atMost(WAIT).until(() -> t.server.stats().bootedWorkers() == 4);
      t.server.scaleUp();
      await().atMost(WAIT).until(() -> t.server.stats().bootedWorkers() == 5);
      t.server.scaleDown();
      await().atMost(WAIT).until(() -> t.server.stats().workers().size() == 4);
      assertThat(t.server.stats().targetWorkers()).isEqualTo(4);
    }
  }

  @Test
  void scaling_down_never_goes_below_one_worker() throws Exception {
    try (TestServer t = TestServer.start(CHAOS, c -> c.withWorkers(1))) {
      t.server.scaleDown();
      t.server.scaleUp();
      await().atMost(WAIT).until(() -> t.server.stats().bootedWorkers() == 2);
    }
  }

  @Test
  void a_reload_under_load_replaces_every_worker_without_a_failed_request() throws Exception {
    try (TestServer t = TestServer.start(CHAOS, c -> c.withWorkers(3))) {
      AtomicBoolean reloaded = new AtomicBoolean();
      List<Integer> statuses = load(t, 6, 600, served -> {
        if (served == 100 && reloaded.compareAndSet(false, true)) {
          reload(t, () -> CHAOS);
        }
      });

      assertThat(statuses).containsOnly(200);
      await().atMost(WAIT).untilAsserted(() -> assertThat(t.server.stats().workers())
          .hasSize(3).allSatisfy(w -> assertThat(w.phase()).isEqualTo(2)));
      assertThat(t.server.stats().phase()).isEqualTo(2);
    }
  }

  @Test
  void a_reload_whose_workers_cannot_boot_keeps_the_old_workers_serving() throws Exception {
    Application broken = new Application() {
      @Override
      public void onStart() {
        throw new IllegalStateException("bad deploy");
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("new");
      }
    };
    try (LogCapture log = new LogCapture("dev.narwhal.supervisor.Arbiter");
        TestServer t = TestServer.start(CHAOS, c -> c.withWorkers(2))) {
      reload(t, () -> broken);

      await().atMost(WAIT).until(() -> log.text().contains("Reload aborted"));
      assertThat(t.get("/").body()).isEqualTo("ok");
      assertThat(t.server.stats().workers()).hasSize(2).allSatisfy(w -> assertThat(w.phase()).isEqualTo(1));
    }
  }

  @Test
  void each_worker_builds_its_own_instance_unless_preloaded() throws Exception {
    AtomicInteger instances = new AtomicInteger();
    java.util.function.Supplier<Application> counting = () -> {
      instances.incrementAndGet();
      return CHAOS;
    };
    try (TestServer t = TestServer.start(counting, c -> c.withWorkers(3))) {
      assertThat(instances.get()).isEqualTo(3);
    }
    instances.set(0);
    try (TestServer t = TestServer.start(counting, c -> c.withWorkers(3).with(Settings.PRELOAD_APP, true))) {
      assertThat(instances.get()).isEqualTo(1);
    }
  }

  @Test
  void a_reload_stops_the_replaced_preloaded_instance_and_a_stop_the_current_one_each_once() throws Exception {
    List<AtomicInteger> stops = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.function.Supplier<Application> counted = () -> {
      AtomicInteger stopped = new AtomicInteger();
      stops.add(stopped);
      return new Application() {
        @Override
        public Response handle(Request request) {
          return Response.ok("instance " + stops.indexOf(stopped));
        }

        @Override
        public void onStop() {
          stopped.incrementAndGet();
        }
      };
    };
    TestServer t = TestServer.start(counted, c -> c.withWorkers(2).with(Settings.PRELOAD_APP, true));
    try (t) {
      assertThat(t.get("/").body()).isEqualTo("instance 0");
      reload(t, counted);
      await().atMost(WAIT).until(() -> stops.size() == 2 && stops.get(0).get() == 1);
      assertThat(t.get("/").body()).isEqualTo("instance 1");
      assertThat(stops.get(1).get()).isZero();
    }
    assertThat(stops).extracting(AtomicInteger::get).containsExactly(1, 1);
  }

  @Test
  void a_boot_that_overruns_boot_timeout_is_retried() throws Exception {
    AtomicInteger boots = new AtomicInteger();
    Application slowFirstBoot = new Application() {
      @Override
      public void onStart() throws Exception {
        if (boots.incrementAndGet() == 1) {
          Thread.sleep(5_000);
        }
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("booted");
      }
    };
    try (TestServer t = TestServer.start(() -> slowFirstBoot,
        c -> c.withWorkers(1).with(Settings.BOOT_TIMEOUT, Duration.ofMillis(500)))) {
      assertThat(boots.get()).isGreaterThanOrEqualTo(2);
      assertThat(t.get("/").body()).isEqualTo("booted");
    }
  }

  static void reload(TestServer t, java.util.function.Supplier<Application> app) {
    try {
      t.server.reload(t.server.config(), app);
    } catch (ServerStartException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Integer> load(TestServer t, int concurrency, int total) throws Exception {
    return load(t, concurrency, total, served -> { });
  }

  /** {@code total} GETs from {@code concurrency} clients; {@code progress} sees the count answered so far. */
  static List<Integer> load(TestServer t, int concurrency, int total, java.util.function.IntConsumer progress)
      throws Exception {
    ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
    AtomicInteger sent = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < concurrency; c++) {
        running.add(clients.submit(() -> {
          while (sent.getAndIncrement() < total) {
            statuses.add(t.get("/").statusCode());
            progress.accept(statuses.size());
          }
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(2, java.util.concurrent.TimeUnit.MINUTES);
      }
    } finally {
      clients.shutdownNow();
    }
    return List.copyOf(statuses);
  }
}
