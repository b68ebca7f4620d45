package dev.narwhal;

import dev.narwhal.testing.TestServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.supervisor.Stats;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServerTest {
  static final Duration WAIT = Duration.ofSeconds(15);

  /** Counts how many requests run at once inside the handler. */
  static final class Concurrency {
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();

    Response sleep(long ms) throws InterruptedException {
      max.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        Thread.sleep(ms);
        return Response.ok("slept");
      } finally {
        running.decrementAndGet();
      }
    }
  }

  static List<HttpResponse<String>> concurrently(TestServer t, int n, String path) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      calls.add(t.getAsync(path));
    }
    return calls.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void serves_the_application_over_http() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("Hello, World!")), c -> c)) {
      HttpResponse<String> response = t.get("/");
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Hello, World!");
      assertThat(response.headers().firstValue("content-type")).contains("text/plain; charset=UTF-8");
      assertThat(response.headers().firstValue("server")).contains("narwhal");
    }
  }

  @Test
  void the_application_sees_the_request_as_sent() throws Exception {
    AtomicReference<Request> seen = new AtomicReference<>();
    Application capture = r -> {
      seen.set(r);
      return Response.status(201).header("X-Reply", "yes").text("created");
    };
    try (TestServer t = TestServer.start(capture, c -> c)) {
      HttpResponse<String> response = t.client.send(HttpRequest.newBuilder(t.uri("/a%20b/c?x=1&y=%41"))
          .header("X-Multi", "one").header("X-Multi", "two")
          .POST(HttpRequest.BodyPublishers.ofString("payload")).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(201);
      assertThat(response.headers().firstValue("x-reply")).contains("yes");
      Request r = seen.get();
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.path()).isEqualTo("/a%20b/c");
      assertThat(r.query()).isEqualTo("x=1&y=%41");
      assertThat(r.queryParam("y")).contains("A");
      assertThat(r.version()).isEqualTo("HTTP/1.1");
      assertThat(r.headers("X-Multi")).containsExactly("one", "two");
      assertThat(r.header("content-length")).contains("7");
      assertThat(r.bodyAsString()).isEqualTo("payload");
      assertThat(r.scheme()).isEqualTo("http");
      assertThat(r.remoteAddress()).hasValueSatisfying(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
    }
  }

  @Test
  void three_workers_serve_three_slow_requests_at_once_and_queue_the_rest() throws Exception {
    Concurrency c = new Concurrency();
    try (TestServer t = TestServer.start(r -> c.sleep(300), cfg -> cfg.withWorkers(3))) {
      assertThat(concurrently(t, 3, "/")).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      long start = System.nanoTime();
      assertThat(concurrently(t, 6, "/")).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));
      long six = Duration.ofNanos(System.nanoTime() - start).toMillis();

      // three at once and never a fourth; only a lower bound on time, which no load can break
      assertThat(c.max.get()).as("requests running at once").isEqualTo(3);
      assertThat(six).as("6 requests on 3 workers take at least two rounds").isGreaterThanOrEqualTo(600L);
    }
  }

  @Test
  void a_full_backlog_answers_503_at_once() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application blocking = r -> {
      release.await(20, TimeUnit.SECONDS);
      return Response.ok("done");
    };
    try (TestServer t = TestServer.start(blocking, cfg -> cfg.withWorkers(3).withBacklog(2))) {
      List<CompletableFuture<HttpResponse<String>>> accepted = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        accepted.add(t.getAsync("/busy"));
      }
      await().atMost(WAIT).until(() -> t.server.stats().workers().stream().allMatch(w -> w.inFlight() == 1));
      for (int i = 0; i < 2; i++) {
        accepted.add(t.getAsync("/queued"));
      }
      await().atMost(WAIT).until(() -> t.server.stats().backlog() == 2);

      long start = System.nanoTime();
      HttpResponse<String> rejected = t.get("/one-too-many");
      assertThat(rejected.statusCode()).isEqualTo(503);
      assertThat(rejected.headers().firstValue("retry-after")).contains("1");
      // at once, not once a worker frees (never, until the release below); loose: the box is shared
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));

      release.countDown();
      assertThat(accepted).allSatisfy(f -> assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200));
    }
  }

  @Test
  void an_exception_is_a_500_for_that_request_only() throws Exception {
    Application app = r -> {
      if (r.path().equals("/boom")) {
        throw new IllegalStateException("expected by the test");
      }
      return Response.ok("fine");
    };
    try (TestServer t = TestServer.start(app, cfg -> cfg.withWorkers(1))) {
      assertThat(t.get("/boom").statusCode()).isEqualTo(500);
      HttpResponse<String> next = t.get("/");
      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("fine");
      assertThat(t.server.stats().spawned()).isEqualTo(1);
    }
  }

  @Test
  void a_crashed_worker_is_replaced() throws Exception {
    Application app = r -> {
      if (r.path().equals("/crash")) {
        throw new AssertionError("a corrupted worker, expected by the test");
      }
      return Response.ok("fine");
    };
    try (TestServer t = TestServer.start(app, cfg -> cfg.withWorkers(2))) {
      assertThat(t.get("/crash").statusCode()).isEqualTo(500);
      await().atMost(WAIT).untilAsserted(() -> {
        Stats stats = t.server.stats();
        assertThat(stats.crashed()).isEqualTo(1);
        assertThat(stats.bootedWorkers()).isEqualTo(2);
      });
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_graceful_stop_answers_every_accepted_request_then_refuses_connections() throws Exception {
    Concurrency c = new Concurrency();
    TestServer t = TestServer.start(r -> c.sleep(500), cfg -> cfg.withWorkers(2));
    List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      inFlight.add(t.getAsync("/"));
    }
    await().atMost(WAIT).until(() -> t.server.stats().backlog() == 2);
    URI uri = t.uri("/");

    int status = t.server.stop(Duration.ofSeconds(10)).toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertThat(status).isZero();
    assertThat(inFlight).allSatisfy(f -> assertThat(f.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200));
    assertThatThrownBy(() -> t.client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
    t.client.close();
  }

  @Test
  void an_address_in_use_fails_the_start_with_exit_status_1() throws Exception {
    try (TestServer first = TestServer.start(Application.of(r -> Response.ok("x")), c -> c)) {
      ServerConfig taken = ServerConfig.defaults().withBinds(List.of(new BindAddress("127.0.0.1", first.server.port())));
      assertThatThrownBy(() -> Server.start(taken, () -> Application.of(r -> Response.ok("y"))))
          .isInstanceOfSatisfying(ServerStartException.class, e -> {
            assertThat(e.exitStatus()).isEqualTo(1);
            assertThat(e.getMessage()).startsWith("Cannot listen at 127.0.0.1:" + first.server.port());
          });
    }
  }

  @Test
  void listens_on_every_bind() throws Exception {
    try (TestServer t = TestServer.start(Application.of(r -> Response.ok("both")),
        cfg -> cfg.withBinds(List.of(new BindAddress("127.0.0.1", 0), new BindAddress("127.0.0.1", 0))))) {
      assertThat(t.server.addresses()).hasSize(2);
      for (var address : t.server.addresses()) {
        HttpResponse<byte[]> r = t.client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("both");
      }
    }
  }
}
