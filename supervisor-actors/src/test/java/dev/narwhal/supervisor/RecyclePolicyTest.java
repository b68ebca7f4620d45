package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecyclePolicyTest {
  @Test
  void zero_max_requests_never_recycles() {
    assertThat(RecyclePolicy.NEVER.drawLimit()).isZero();
    assertThat(RecyclePolicy.reached(1_000_000, 0)).isFalse();
  }

  @Test
  void each_limit_is_max_requests_plus_a_jitter_within_bounds() {
    RecyclePolicy policy = new RecyclePolicy(50, 10, new Random(42));
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      long limit = policy.drawLimit();
      assertThat(limit).isBetween(50L, 60L);
      seen.add(limit);
    }
    assertThat(seen).as("jitter spreads the limits").hasSizeGreaterThan(5);
  }

  @Test
  void the_same_seed_draws_the_same_limits() {
    RecyclePolicy a = new RecyclePolicy(100, 20, new Random(7));
    RecyclePolicy b = new RecyclePolicy(100, 20, new Random(7));
    for (int i = 0; i < 20; i++) {
      assertThat(a.drawLimit()).isEqualTo(b.drawLimit());
    }
  }

  @Test
  void no_jitter_gives_exactly_max_requests() {
    assertThat(new RecyclePolicy(20, 0, new Random()).drawLimit()).isEqualTo(20);
  }

  @Test
  void a_worker_reaches_its_limit_at_the_limit() {
    assertThat(RecyclePolicy.reached(19, 20)).isFalse();
    assertThat(RecyclePolicy.reached(20, 20)).isTrue();
  }
}
