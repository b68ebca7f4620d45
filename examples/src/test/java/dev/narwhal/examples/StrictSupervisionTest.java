package dev.narwhal.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.WorkerInfo;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.SupervisionPolicy.HandlerFailed;
import dev.narwhal.spi.SupervisionPolicy.WorkerFigures;
import dev.narwhal.test.NarwhalServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The custom supervision policy example: its decisions, and on a real server. */
class StrictSupervisionTest {
  static final SupervisionPolicy POLICY = new StrictSupervision();
  static final WorkerInfo WORKER = new WorkerInfo(1, 1, 30);

  @Test
  void out_of_memory_stops_the_server_with_status_4() {
    assertThat(POLICY.decide(new HandlerFailed(WORKER, null, new OutOfMemoryError("heap"))))
        .isEqualTo(SupervisionPolicy.stopServer(4, "out of memory: heap"));
  }

  @Test
  void a_bad_argument_keeps_the_worker_and_another_exception_replaces_it_after_a_second() {
    assertThat(POLICY.decide(new HandlerFailed(WORKER, null, new IllegalArgumentException())))
        .isEqualTo(SupervisionPolicy.keep());
    assertThat(POLICY.decide(new HandlerFailed(WORKER, null, new java.io.UncheckedIOException(new java.io.IOException("disk")))))
        .isEqualTo(SupervisionPolicy.restartAfter(Duration.ofSeconds(1)));
  }

  @Test
  void workers_failing_most_requests_or_older_than_six_hours_are_recycled() {
    assertThat(POLICY.recycle(new WorkerFigures(WORKER, Duration.ofMinutes(1), 20))).isPresent();
    assertThat(POLICY.recycle(new WorkerFigures(WORKER, Duration.ofMinutes(1), 2))).isEmpty();
    assertThat(POLICY.recycle(new WorkerFigures(WORKER, Duration.ofHours(7), 0))).contains("is older than six hours");
  }

  @Test
  void chaos_boom_keeps_its_worker_under_the_policy() throws Exception {
    try (NarwhalServer server = NarwhalServer.of(ChaosApp::new).workers(1).setting("metrics", false)
        .setting("supervision-policy", StrictSupervision.class.getName()).start()) {
      for (int i = 0; i < 3; i++) {
        assertThat(server.get("/boom").statusCode()).isEqualTo(500);
      }
      assertThat(server.get("/").statusCode()).isEqualTo(200);
      assertThat(server.server().stats().spawned()).isEqualTo(1);
      assertThat(server.server().stats().crashed()).isZero();
    }
  }
}
