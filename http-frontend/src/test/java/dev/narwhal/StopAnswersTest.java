package dev.narwhal;

import dev.narwhal.testing.TestServer;
import dev.narwhal.config.Settings;
import dev.narwhal.testing.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.supervisor.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * A stop answers what it accepted over the wire, byte for byte, and only then closes each
 * connection with an orderly end of stream, never a reset (a client whose connection is reset
 * cannot know whether its request ran, and the JDK client retries it on a new connection, which
 * the stopped server refuses).
 */
class StopAnswersTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String GET = "GET /%s HTTP/1.1\r\nHost: x\r\n\r\n";

  @RepeatedTest(10)
  void a_quick_stop_answers_the_request_in_flight_503_and_closes_cleanly() throws Exception {
    Application sleepy = request -> {
      Thread.sleep(5_000);
      return Response.ok("late");
    };
    try (TestServer t = TestServer.start(sleepy, c -> c.withWorkers(1));
        RawHttp raw = new RawHttp(t.server.port())) {
      raw.write(GET.formatted("sleep"));
      await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BUSY) == 1);
      t.server.stop(Duration.ZERO);
      RawHttp.Reply reply = raw.read();
      assertThat(reply.status()).isEqualTo(503);
      assertThat(raw.socket.getInputStream().read()).as("end of stream, not a reset").isEqualTo(-1);
    }
  }

  @Test
  void a_graceful_stop_closes_idle_connections_and_busy_ones_after_their_answer_without_a_reset() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application app = request -> {
      if (request.path().equals("/slow")) {
        release.await(10, TimeUnit.SECONDS);
      }
      return Response.ok("done " + request.path());
    };
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(4))) {
      List<RawHttp> idle = new ArrayList<>();
      List<RawHttp> busy = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          RawHttp raw = new RawHttp(t.server.port());
          idle.add(raw);
          assertThat(raw.send(GET.formatted("fast")).status()).isEqualTo(200); // kept alive, now idle
        }
        for (int i = 0; i < 3; i++) {
          RawHttp raw = new RawHttp(t.server.port());
          busy.add(raw);
          raw.write(GET.formatted("slow"));
        }
        await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BUSY) == 3);

        var stopped = t.server.stop(Duration.ofSeconds(10));
        for (RawHttp raw : idle) {
          assertThat(raw.socket.getInputStream().read()).as("idle: end of stream, not a reset").isEqualTo(-1);
        }
        release.countDown();
        for (RawHttp raw : busy) {
          RawHttp.Reply reply = raw.read();
          assertThat(reply.status()).isEqualTo(200);
          assertThat(reply.body()).isEqualTo("done /slow");
          assertThat(reply.headers()).containsEntry("connection", "close");
          assertThat(raw.socket.getInputStream().read()).as("busy: end of stream, not a reset").isEqualTo(-1);
        }
        assertThat(stopped.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
      } finally {
        for (RawHttp raw : idle) {
          raw.close();
        }
        for (RawHttp raw : busy) {
          raw.close();
        }
      }
    }
  }

  @Test
  void on_a_bind_that_also_serves_http2_a_graceful_stop_closes_an_idle_http1_connection_without_a_reset()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application app = request -> {
      if (request.path().equals("/slow")) {
        release.await(10, TimeUnit.SECONDS);
      }
      return Response.ok("done " + request.path());
    };
    // a keepalive far longer than the test: only the stop may close the idle connection
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(2).with(Settings.HTTP2_CLEARTEXT, true)
        .with(Settings.KEEPALIVE, Duration.ofSeconds(60)));
        RawHttp idle = new RawHttp(t.server.port());
        RawHttp busy = new RawHttp(t.server.port())) {
      assertThat(idle.send(GET.formatted("fast")).status()).isEqualTo(200); // kept alive, now idle
      busy.write(GET.formatted("slow"));
      await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BUSY) == 1);

      var stopped = t.server.stop(Duration.ofSeconds(10));
      assertThat(idle.socket.getInputStream().read()).as("idle: end of stream, not a reset").isEqualTo(-1);
      release.countDown();
      RawHttp.Reply reply = busy.read();
      assertThat(reply.body()).isEqualTo("done /slow");
      assertThat(reply.headers()).containsEntry("connection", "close");
      assertThat(busy.socket.getInputStream().read()).as("busy: end of stream, not a reset").isEqualTo(-1);
      assertThat(stopped.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }

  @Test
  void a_kept_alive_health_check_connection_says_draining_during_a_stop_and_then_closes_without_a_reset()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Application slow = request -> {
      release.await(10, TimeUnit.SECONDS);
      return Response.ok("done");
    };
    try (TestServer t = TestServer.start(slow, c -> c.withWorkers(1));
        RawHttp probe = new RawHttp(t.server.adminPort());
        RawHttp busy = new RawHttp(t.server.port())) {
      assertThat(probe.send(GET.formatted("health/ready")).status()).isEqualTo(200);
      busy.write(GET.formatted("slow"));
      await().atMost(WAIT).until(() -> t.server.stats().workersIn(WorkerState.BUSY) == 1);

      var stopped = t.server.stop(Duration.ofSeconds(10));
      assertThat(probe.send(GET.formatted("health/ready")).status()).isEqualTo(503); // same connection, mid-drain
      release.countDown();
      assertThat(busy.read().status()).isEqualTo(200);
      assertThat(probe.socket.getInputStream().read()).as("admin: end of stream, not a reset").isEqualTo(-1);
      assertThat(stopped.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isZero();
    }
  }
}
