package dev.narwhal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.narwhal.config.Settings;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.testing.TestServer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A policy given with {@code supervision-policy} decides what failures do, on a real server. */
public class SupervisionPolicyTest {
  static final Duration WAIT = Duration.ofSeconds(20);

  /**
   * Out of memory stops the server with status 4; an IllegalStateException is the request's
   * problem, not the worker's; any other exception means the worker's state is broken.
   */
  public static final class StrictPolicy implements SupervisionPolicy {
    @Override
    public Decision decide(Failure failure) {
      if (failure instanceof HandlerFailed f) {
        return switch (f.cause()) {
          case OutOfMemoryError oom -> SupervisionPolicy.stopServer(4, "out of memory in worker " + f.worker().index());
          case IllegalStateException ise -> SupervisionPolicy.keep();
          default -> SupervisionPolicy.restartNow();
        };
      }
      return DEFAULT.decide(failure);
    }
  }

  /** Recycles a worker once it has failed three requests. */
  public static final class ErrorBudgetPolicy implements SupervisionPolicy {
    @Override
    public Decision decide(Failure failure) {
      return DEFAULT.decide(failure);
    }

    @Override
    public Optional<String> recycle(WorkerFigures figures) {
      return figures.errors() >= 3 ? Optional.of("failed " + figures.errors() + " requests") : Optional.empty();
    }
  }

  /** A boot failure is not worth retrying: stop at once with status 5. */
  public static final class NoRetryPolicy implements SupervisionPolicy {
    @Override
    public Decision decide(Failure failure) {
      return failure instanceof BootFailed b ? SupervisionPolicy.stopServer(5, "no retry: " + b.cause().getMessage())
          : DEFAULT.decide(failure);
    }
  }

  static final Application FAILING = request -> switch (request.path()) {
    case "/oom" -> throw new OutOfMemoryError("simulated");
    case "/illegal-state" -> throw new IllegalStateException("bad input");
    case "/npe" -> throw new NullPointerException("broken cache");
    default -> Response.ok("ok");
  };

  @Test
  void an_illegal_state_exception_keeps_the_worker() throws Exception {
    try (TestServer t = TestServer.start(FAILING, c -> c.withWorkers(1)
        .with(Settings.SUPERVISION_POLICY, StrictPolicy.class.getName()))) {
      for (int i = 0; i < 5; i++) {
        assertThat(t.get("/illegal-state").statusCode()).isEqualTo(500);
      }

      // The worker counts a request after its answer is on the way, so the fifth may lag the client.
      await().atMost(WAIT).untilAsserted(() -> assertThat(t.server.stats().workers()).singleElement()
          .satisfies(w -> assertThat(w.served()).isEqualTo(5)));
      Stats stats = t.server.stats();
      assertThat(stats.spawned()).isEqualTo(1);
      assertThat(stats.crashed()).isZero();
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void another_exception_restarts_the_worker_as_the_policy_says() throws Exception {
    try (TestServer t = TestServer.start(FAILING, c -> c.withWorkers(1)
        .with(Settings.SUPERVISION_POLICY, StrictPolicy.class.getName()))) {
      assertThat(t.get("/npe").statusCode()).isEqualTo(500);

      await().atMost(WAIT).until(() -> t.server.stats().crashed() == 1 && t.server.stats().bootedWorkers() == 1);
      assertThat(t.server.stats().spawned()).isEqualTo(2);
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void an_out_of_memory_error_stops_the_server_with_exit_status_4() throws Exception {
    try (TestServer t = TestServer.start(FAILING, c -> c.withWorkers(2)
        .with(Settings.SUPERVISION_POLICY, StrictPolicy.class.getName()))) {
      assertThat(t.get("/oom").statusCode()).isEqualTo(500);

      int status = t.server.whenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(status).isEqualTo(4);
    }
  }

  @Test
  void an_out_of_memory_error_replaces_no_worker_and_lets_the_others_finish_their_requests_before_the_server_stops()
      throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Application app = request -> {
      if (request.path().equals("/slow")) {
        running.countDown();
        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
        return Response.ok("finished");
      }
      return FAILING.handle(request);
    };
    try (TestServer t = TestServer.start(app, c -> c.withWorkers(2)
        .with(Settings.SUPERVISION_POLICY, StrictPolicy.class.getName()))) {
      CompletableFuture<java.net.http.HttpResponse<String>> slow = t.getAsync("/slow");
      assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

      assertThat(t.get("/oom").statusCode()).isEqualTo(500);
      // the slow request ends only once the stop has begun: a stop, or the end of the server
      await().atMost(WAIT).until(() -> t.server.isStopping()
          || t.server.whenTerminated().toCompletableFuture().isDone());
      // the failed worker is not replaced: a fresh one would boot the application only to be stopped
      assertThat(t.server.stats().spawned()).as("workers spawned").isEqualTo(2);
      release.countDown();

      // gunicorn's halt is graceful too: the request another worker holds is answered, not reset
      java.net.http.HttpResponse<String> answer = slow.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("finished");
      int status = t.server.whenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(status).isEqualTo(4);
    }
  }

  @Test
  void the_default_policy_keeps_a_worker_on_any_exception() throws Exception {
    try (TestServer t = TestServer.start(FAILING, c -> c.withWorkers(1))) {
      assertThat(t.get("/npe").statusCode()).isEqualTo(500);
      assertThat(t.get("/illegal-state").statusCode()).isEqualTo(500);

      assertThat(t.server.stats().spawned()).isEqualTo(1);
      assertThat(t.server.stats().crashed()).isZero();
    }
  }

  @Test
  void a_policy_recycles_a_worker_by_its_figures_successor_first() throws Exception {
    try (TestServer t = TestServer.start(FAILING, c -> c.withWorkers(1)
        .with(Settings.SUPERVISION_POLICY, ErrorBudgetPolicy.class.getName()))) {
      for (int i = 0; i < 3; i++) {
        assertThat(t.get("/illegal-state").statusCode()).isEqualTo(500);
      }

      await().atMost(WAIT).until(() -> t.server.stats().restarts().get(Stats.RestartReason.POLICY) == 1);
      await().atMost(WAIT).untilAsserted(() -> assertThat(t.server.stats().workers()).singleElement()
          .satisfies(w -> assertThat(w.served()).isZero()));
      assertThat(t.server.stats().crashed()).isZero();
      assertThat(t.get("/").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void a_policy_can_stop_at_the_first_failed_boot_with_its_own_status() {
    Application broken = new Application() {
      @Override
      public void onStart() {
        throw new IllegalStateException("database unreachable");
      }

      @Override
      public Response handle(Request request) {
        return Response.ok("never");
      }
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(broken, c -> c.withWorkers(2)
            .with(Settings.SUPERVISION_POLICY, NoRetryPolicy.class.getName())))
        .isInstanceOf(ServerStartException.class)
        .hasMessageContaining("no retry: database unreachable")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(5));
  }

  @Test
  void a_policy_class_that_does_not_exist_is_a_config_error() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> TestServer.start(FAILING,
            c -> c.with(Settings.SUPERVISION_POLICY, "com.example.NoSuchPolicy")))
        .isInstanceOf(ServerStartException.class)
        .hasMessageContaining("supervision-policy")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(2));
  }
}
