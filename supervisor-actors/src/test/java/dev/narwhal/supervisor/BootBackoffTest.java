package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BootBackoffTest {

  @Test
  void while_boots_succeed_workers_are_respawned_at_once() {
    assertThat(BootBackoff.NONE.delay()).isEmpty();
    assertThat(BootBackoff.NONE.exhausted()).isFalse();
  }

  @Test
  void each_failure_in_a_row_doubles_the_wait_up_to_five_seconds() {
    BootBackoff b = BootBackoff.NONE.failed();
    assertThat(b.delay()).contains(Duration.ofMillis(200));
    assertThat(b.failed().delay()).contains(Duration.ofMillis(400));
    assertThat(b.failed().failed().failed().delay()).contains(Duration.ofMillis(1600));
    assertThat(new BootBackoff(6).delay()).contains(Duration.ofMillis(5000));
    assertThat(new BootBackoff(60).delay()).contains(Duration.ofMillis(5000));
  }

  @Test
  void the_arbiter_gives_up_after_max_failures_in_a_row() {
    BootBackoff b = BootBackoff.NONE;
    for (int i = 1; i < BootBackoff.MAX_FAILURES; i++) {
      b = b.failed();
      assertThat(b.exhausted()).isFalse();
    }
    assertThat(b.failed().exhausted()).isTrue();
  }
}
