package dev.narwhal.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.admin.internal.StuckThreadLimit.Verdict;
import org.junit.jupiter.api.Test;

/** The liveness verdict on stuck threads, without a server: "over" is strictly more than the limit. */
class StuckThreadLimitTest {

  @Test
  void over_means_more_stuck_threads_than_the_limit_and_a_limit_of_0_never_is() {
    assertThat(StuckThreadLimit.exceeded(0, 2)).isFalse();
    assertThat(StuckThreadLimit.exceeded(2, 2)).isFalse();
    assertThat(StuckThreadLimit.exceeded(3, 2)).isTrue();
    assertThat(StuckThreadLimit.exceeded(1_000, 0)).isFalse();
  }

  @Test
  void crossing_is_reported_once_then_over_until_back_within_the_limit() {
    StuckThreadLimit limit = new StuckThreadLimit();

    assertThat(limit.check(2, 2)).isEqualTo(Verdict.LIVE);
    assertThat(limit.check(3, 2)).isEqualTo(Verdict.CROSSED);
    assertThat(limit.check(4, 2)).isEqualTo(Verdict.OVER);
    assertThat(limit.check(3, 2)).isEqualTo(Verdict.OVER);
    assertThat(limit.check(1, 2)).isEqualTo(Verdict.RECOVERED);
    assertThat(limit.check(0, 2)).isEqualTo(Verdict.LIVE);
    assertThat(limit.check(3, 2)).as("a second episode is logged again").isEqualTo(Verdict.CROSSED);
  }

  @Test
  void only_live_and_recovered_let_liveness_answer_200() {
    assertThat(Verdict.LIVE.live()).isTrue();
    assertThat(Verdict.RECOVERED.live()).isTrue();
    assertThat(Verdict.CROSSED.live()).isFalse();
    assertThat(Verdict.OVER.live()).isFalse();
  }

  @Test
  void a_reload_that_raises_the_limit_makes_the_server_live_again() {
    StuckThreadLimit limit = new StuckThreadLimit();

    assertThat(limit.check(3, 2)).isEqualTo(Verdict.CROSSED);
    assertThat(limit.check(3, 5)).isEqualTo(Verdict.RECOVERED);
    assertThat(limit.check(3, 0)).as("0: never over").isEqualTo(Verdict.LIVE);
  }
}
