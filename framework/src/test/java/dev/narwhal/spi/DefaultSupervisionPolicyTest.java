package dev.narwhal.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.WorkerInfo;
import dev.narwhal.spi.SupervisionPolicy.BootFailed;
import dev.narwhal.spi.SupervisionPolicy.HandlerFailed;
import dev.narwhal.spi.SupervisionPolicy.Keep;
import dev.narwhal.spi.SupervisionPolicy.RestartNow;
import dev.narwhal.spi.SupervisionPolicy.RestartWithBackoff;
import dev.narwhal.spi.SupervisionPolicy.StopServer;
import dev.narwhal.spi.SupervisionPolicy.TimedOut;
import dev.narwhal.spi.SupervisionPolicy.WorkerFigures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The built-in rules, as the arbiter applied them before they were a policy. */
class DefaultSupervisionPolicyTest {
  static final WorkerInfo WORKER = new WorkerInfo(1, 1, 10);
  static final SupervisionPolicy POLICY = SupervisionPolicy.DEFAULT;

  @Test
  void an_exception_from_a_handler_keeps_the_worker() {
    assertThat(POLICY.decide(new HandlerFailed(WORKER, null, new IllegalStateException("boom"))))
        .isInstanceOf(Keep.class);
  }

  @Test
  void an_error_from_a_handler_restarts_the_worker_at_once() {
    assertThat(POLICY.decide(new HandlerFailed(WORKER, null, new OutOfMemoryError()))).isInstanceOf(RestartNow.class);
    assertThat(POLICY.decide(new HandlerFailed(WORKER, null, new AssertionError()))).isInstanceOf(RestartNow.class);
  }

  @Test
  void a_timeout_restarts_the_worker_at_once() {
    assertThat(POLICY.decide(new TimedOut(WORKER, null, Duration.ofSeconds(31)))).isInstanceOf(RestartNow.class);
  }

  @Test
  void boot_failures_back_off_from_200_ms_doubling_up_to_5_s() {
    assertThat(backoff(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff(2)).isEqualTo(Duration.ofMillis(400));
    assertThat(backoff(4)).isEqualTo(Duration.ofMillis(1600));
  }

  @Test
  void the_fifth_boot_failure_in_a_row_stops_the_server_with_status_3() {
    var decision = POLICY.decide(new BootFailed(WORKER, new IllegalStateException("db down"), 5));

    assertThat(decision).isInstanceOf(StopServer.class);
    StopServer stop = (StopServer) decision;
    assertThat(stop.exitStatus()).isEqualTo(3);
    assertThat(stop.reason()).contains("5 times in a row").contains("db down");
  }

  @Test
  void the_default_recycles_nothing_by_itself() {
    assertThat(POLICY.recycle(new WorkerFigures(WORKER, Duration.ofDays(30), 10))).isEmpty();
  }

  @Test
  void figures_give_an_error_rate_over_served_requests() {
    assertThat(new WorkerFigures(new WorkerInfo(1, 1, 0), Duration.ZERO, 0).errorRate()).isZero();
    assertThat(new WorkerFigures(new WorkerInfo(1, 1, 200), Duration.ZERO, 50).errorRate()).isEqualTo(0.25);
  }

  private static Duration backoff(int inARow) {
    var decision = POLICY.decide(new BootFailed(WORKER, new RuntimeException(), inARow));
    assertThat(decision).isInstanceOf(RestartWithBackoff.class);
    return ((RestartWithBackoff) decision).delay();
  }
}
