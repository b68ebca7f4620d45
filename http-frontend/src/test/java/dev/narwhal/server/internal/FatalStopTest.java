package dev.narwhal.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.ServerStartException;
import dev.narwhal.supervisor.Arbiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The start-up's wait for the workers, and the stop decision that ends it. */
class FatalStopTest {
  static final Duration BOOT_WAIT = Duration.ofMinutes(5);

  final FatalStop fatal = new FatalStop();

  @Test
  @Timeout(10)
  void a_stop_decided_before_the_readiness_question_is_answered_ends_the_wait_at_once_with_its_reason_and_status() {
    // the guardian stopped before the question reached it: no answer will ever come
    CompletableFuture<Arbiter.Readiness> unanswered = new CompletableFuture<>();
    fatal.decide("no retry: database unreachable", 5);

    assertThatThrownBy(() -> fatal.awaitBooted(unanswered, BOOT_WAIT))
        .isInstanceOf(ServerStartException.class)
        .hasMessage("Worker failed to boot: no retry: database unreachable")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(5));
  }

  @Test
  void a_boot_failure_answered_exits_with_the_decided_status_or_3() {
    assertThatThrownBy(() -> fatal.awaitBooted(
        CompletableFuture.completedFuture(new Arbiter.BootFailure("boom")), BOOT_WAIT))
        .hasMessage("Worker failed to boot: boom")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(3));
  }

  @Test
  void every_pool_booted_ends_the_wait_without_an_error_and_only_the_first_decision_counts() throws Exception {
    fatal.awaitBooted(CompletableFuture.completedFuture(new Arbiter.Ready(2)), BOOT_WAIT);
    assertThat(fatal.isDecided()).isFalse();
    assertThat(fatal.status(0)).isZero();

    fatal.decide("first", 4);
    fatal.decide("second", 5);
    assertThat(fatal.status(0)).isEqualTo(4);
  }

  @Test
  void no_answer_and_no_decision_within_the_wait_is_a_late_boot_exiting_3() {
    assertThatThrownBy(() -> fatal.awaitBooted(new CompletableFuture<>(), Duration.ofMillis(10)))
        .hasMessageStartingWith("workers did not boot within")
        .satisfies(e -> assertThat(((ServerStartException) e).exitStatus()).isEqualTo(3));
  }
}
