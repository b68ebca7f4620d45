package dev.narwhal;

import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each worker class's concurrency, and the same supervision for all of them. */
class WorkerClassesTest {
  static final Duration WAIT = Duration.ofSeconds(30);
  /**
   * The async test opens 1000 connections in a first round and reuses them in the measured one;
   * with gunicorn's 2 s keepalive the server would close some of them between rounds, just as the
   * client reuses them.
   */
  static final Duration KEEP_CONNECTIONS = Duration.ofSeconds(60);

  /** Sleeps (blocking) or waits (non-blocking) 200 ms, counting how many run at once. */
  static final class Slow implements AsyncApplication {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    @Override
    public Response handle(Request request) throws Exception {
      if (request.path().equals("/hang")) {
        new CompletableFuture<Void>().get(); // blocks until interrupted
      }
      max.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(200);
        return Response.ok("slept");
      } finally {
        running.decrementAndGet();
      }
    }

    @Override
    public CompletionStage<Response> handleAsync(Request request) {
      if (request.path().equals("/hang")) {
        return new CompletableFuture<>(); // never completes
      }
      max.accumulateAndGet(running.incrementAndGet(), Math::max);
      return CompletableFuture.supplyAsync(() -> {
        running.decrementAndGet();
        return Response.ok("waited");
      }, CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS));
    }
  }

  /**
   * Holds each request until {@code expected} are held at once, then lets them all go: a test
   * that sends {@code expected} requests sees {@link #max} reach it only if the server runs that
   * many at once. Nothing is timed, so a slow machine delays the test without failing it; a server
   * that runs fewer at once leaves the gate closed until {@link #HOLD} passes, and the count short.
   */
  static final class Gate implements Application {
    /** Within the test client's 20 s per request, so a short count fails as a count, not a timeout. */
    static final Duration HOLD = Duration.ofSeconds(15);

    final CountDownLatch all;
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    Gate(int expected) {
      all = new CountDownLatch(expected);
    }

    @Override
    public Response handle(Request request) throws Exception {
      max.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        all.countDown();
        return Response.ok(all.await(HOLD.toSeconds(), TimeUnit.SECONDS) ? "together" : "alone");
      } finally {
        running.decrementAndGet();
      }
    }
  }

  static UnaryOperator<ServerConfig> workerClass(String kind, int workers) {
    return c -> c.withWorkers(workers).with(Settings.WORKER_CLASS, kind);
  }

  /** Sends {@code n} requests at once and waits for every answer, each a 200. */
  static void answerAll(TestServer t, int n, String path) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(t.getAsync(path));
    }
    calls.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
  }

  @Test
  void sync_runs_one_request_per_worker_at_a_time() throws Exception {
    Slow app = new Slow();
    try (TestServer t = TestServer.start(app, workerClass("sync", 2))) {
      answerAll(t, 10, "/");
      // ten 200 ms requests queued for two workers: both run all along, a third never
      assertThat(app.max.get()).isEqualTo(2);
    }
  }

  @Test
  void gthread_runs_threads_requests_per_worker_at_once() throws Exception {
    Gate app = new Gate(10);
    try (TestServer t = TestServer.start(app, c -> workerClass("gthread", 2).apply(c).with(Settings.THREADS, 5))) {
      answerAll(t, 10, "/");
      assertThat(app.max.get()).as("requests held at once on 2 x 5 threads").isEqualTo(10);
    }
  }

  @Test
  void sync_with_threads_runs_as_gthread() throws Exception {
    Gate app = new Gate(4);
    try (TestServer t = TestServer.start(app, c -> workerClass("sync", 1).apply(c).with(Settings.THREADS, 4))) {
      answerAll(t, 4, "/");
      assertThat(app.max.get()).isEqualTo(4);
    }
  }

  @Test
  void virtual_runs_a_thousand_blocking_requests_on_one_worker_at_once() throws Exception {
    Gate app = new Gate(1000);
    try (TestServer t = TestServer.start(app, c -> workerClass("virtual", 1).apply(c)
        .with(Settings.WORKER_CONNECTIONS, 1000))) {
      answerAll(t, 1000, "/");
      assertThat(app.max.get()).as("requests blocked at once on 1 virtual worker").isEqualTo(1000);
    }
  }

  @Test
  void async_holds_no_thread_per_request() throws Exception {
    Slow app = new Slow();
    try (TestServer t = TestServer.start(app, c -> workerClass("async", 1).apply(c)
        .with(Settings.WORKER_CONNECTIONS, 1000).with(Settings.KEEPALIVE, KEEP_CONNECTIONS))) {
      answerAll(t, 1000, "/"); // opens the connections, which the client keeps for the measured round
      app.max.set(0);
      int before = ManagementFactory.getThreadMXBean().getThreadCount();
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        calls.add(t.getAsync("/"));
      }
      int peakThreads = before;
      CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new));
      while (!all.isDone()) {
        peakThreads = Math.max(peakThreads, ManagementFactory.getThreadMXBean().getThreadCount());
        try {
          all.get(5, TimeUnit.MILLISECONDS); // sample the thread count until every request is answered
        } catch (java.util.concurrent.TimeoutException stillWaiting) {
          // sample again
        }
      }
      calls.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
      assertThat(app.max.get()).as("requests waiting at once").isGreaterThan(300);
      assertThat(peakThreads - before).as("threads added while they waited").isLessThan(50);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "gthread", "virtual", "async"})
  void a_stuck_request_gets_504_in_every_worker_class(String kind) throws Exception {
    try (TestServer t = TestServer.start(new Slow(), c -> workerClass(kind, 2).apply(c)
        .with(Settings.THREADS, 2).with(Settings.TIMEOUT, Duration.ofSeconds(1)))) {
      long start = System.nanoTime();
      assertThat(t.get("/hang").statusCode()).isEqualTo(504);
      // the 1 s timeout's answer, well before the client's own 20 s (not a measure of speed)
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(12));
      await().atMost(WAIT).untilAsserted(() -> assertThat(t.server.stats().timedOut()).isEqualTo(1));
      await().atMost(WAIT).until(() -> t.server.stats().bootedWorkers() == 2);
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "gthread", "virtual", "async"})
  void recycling_loses_nothing_in_every_worker_class(String kind) throws Exception {
    try (TestServer t = TestServer.start(new Slow(), c -> workerClass(kind, 2).apply(c)
        .with(Settings.THREADS, 2).with(Settings.MAX_REQUESTS, 5).with(Settings.MAX_REQUESTS_JITTER, 2))) {
      List<Integer> statuses = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
          calls.add(t.getAsync("/"));
        }
        calls.forEach(f -> statuses.add(f.join().statusCode()));
      }
      assertThat(statuses).hasSize(32).containsOnly(200);
      assertThat(t.server.stats().recycled()).isGreaterThanOrEqualTo(2);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "gthread", "virtual", "async"})
  void a_graceful_stop_answers_everything_accepted_in_every_worker_class(String kind) throws Exception {
    TestServer t = TestServer.start(new Slow(), c -> workerClass(kind, 1).apply(c).with(Settings.THREADS, 2));
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      calls.add(t.getAsync("/"));
    }
    // every request received by the front end before the stop: later ones would be refused. The
    // front end's count, not backlog + in flight from the pool's stats: those two are read at
    // different moments, so a request moving from the backlog to a worker can count twice and
    // let the stop begin while the sixth client is still connecting
    await().atMost(WAIT).until(() -> t.server.traffic().requests() == 6);
    assertThat(t.server.stop(Duration.ofSeconds(10)).toCompletableFuture().get(30, TimeUnit.SECONDS)).isZero();
    calls.forEach(f -> assertThat(f.join().statusCode()).isEqualTo(200));
    t.client.close();
  }
}
