package dev.narwhal.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.ServerStartException;
import dev.narwhal.supervisor.Arbiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up's wait for the workers, and what ends it. */
class FatalStopTest {
  static final Duration BOOT_WAIT = Duration.ofMinutes(5);

  final FatalStop fatal = new FatalStop();
  final CompletableFuture<Arbiter.Readiness> readiness = new CompletableFuture<>();
  final CompletableFuture<Void> guardianStopped = new CompletableFuture<>();

  @Test
  @Timeout(10)
  void pools_that_stopped_before_the_readiness_question_reached_them_end_the_wait_at_once_with_the_reason_and_status() {
    // the guardian stopped before the question reached it: the question is a dead letter
    fatal.decide("no retry: database unreachable", 5);
    guardianStopped.complete(null);

    assertThatThrownBy(() -> fatal.awaitBooted(readiness, guardianStopped, BOOT_WAIT))
        .isInstanceOf(ServerStartException.class)
        .hasMessage("Worker failed to boot: no retry: database unreachable")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(5));
  }

  @Test
  void a_stop_decided_by_a_serving_pool_while_another_still_boots_lets_the_start_finish() throws Exception {
    // the server stops gracefully once it is up (ServerBoot's stopAfterFatal), not as a failed boot
    fatal.decide("policy: too many crashes", 4);
    readiness.complete(new Arbiter.Ready(3));

    fatal.awaitBooted(readiness, guardianStopped, BOOT_WAIT);
    assertThat(fatal.isDecided()).isTrue();
    assertThat(fatal.status(0)).isEqualTo(4);
  }

  @Test
  void an_answered_boot_failure_exits_with_the_policy_s_status_if_it_decided_one() {
    fatal.decide("no retry: boom", 6);
    readiness.complete(new Arbiter.BootFailure("no retry: boom"));

    assertThatThrownBy(() -> fatal.awaitBooted(readiness, guardianStopped, BOOT_WAIT))
        .hasMessage("Worker failed to boot: no retry: boom")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(6));
  }

  @Test
  void an_answered_boot_failure_without_a_decided_status_exits_3() {
    readiness.complete(new Arbiter.BootFailure("boom"));

    assertThatThrownBy(() -> fatal.awaitBooted(readiness, guardianStopped, BOOT_WAIT))
        .hasMessage("Worker failed to boot: boom")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(3));
  }

  @Test
  void every_pool_booted_ends_the_wait_without_an_error_and_only_the_first_decision_counts() throws Exception {
    readiness.complete(new Arbiter.Ready(2));
    fatal.awaitBooted(readiness, guardianStopped, BOOT_WAIT);
    assertThat(fatal.isDecided()).isFalse();
    assertThat(fatal.status(0)).isZero();

    fatal.decide("first", 4);
    fatal.decide("second", 5);
    assertThat(fatal.status(0)).isEqualTo(4);
  }

  @Test
  void no_answer_within_the_wait_is_a_late_boot_exiting_3() {
    assertThatThrownBy(() -> fatal.awaitBooted(readiness, guardianStopped, Duration.ofMillis(10)))
        .hasMessageStartingWith("workers did not boot within")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(3));
  }
}
