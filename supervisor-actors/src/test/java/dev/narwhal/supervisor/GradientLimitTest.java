package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Driven by synthetic latencies on a synthetic clock: each "window" below feeds enough samples over
 * enough time for the limit to update once.
 */
class GradientLimitTest {
  private static final long MS = 1_000_000L;
  private long now = 0;

  /** One window of requests that each waited {@code wait} and ran {@code service}. */
  private void window(GradientLimit limit, long wait, long service, int inFlight) {
    long step = GradientLimit.WINDOW_NANOS / GradientLimit.WINDOW_SAMPLES + 1;
    for (int i = 0; i < GradientLimit.WINDOW_SAMPLES; i++) {
      now += step;
      limit.sample(now, wait, service, inFlight);
    }
  }

  /**
   * A server of {@code capacity} workers, each request taking {@code service}, offered more than
   * it can take: in flight is the limit, and whatever exceeds capacity waits (Little's law).
   */
  private void overloadedWindow(GradientLimit limit, int capacity, long service) {
    int inFlight = limit.limit();
    long wait = Math.max(0, service * inFlight / capacity - service);
    window(limit, wait, service, inFlight);
  }

  @Test
  void grows_while_latency_stays_flat_and_the_limit_is_used() {
    GradientLimit limit = new GradientLimit(10, 1, 1000);
    int before = limit.limit();
    for (int i = 0; i < 50; i++) {
      window(limit, 0, 10 * MS, limit.limit());
    }
    assertThat(limit.limit()).isGreaterThan(before * 2);
  }

  @Test
  void does_not_grow_a_limit_it_does_not_use() {
    GradientLimit limit = new GradientLimit(20, 1, 1000);
    for (int i = 0; i < 50; i++) {
      window(limit, 0, 10 * MS, 2);
    }
    assertThat(limit.limit()).isEqualTo(20);
  }

  @Test
  void shrinks_when_latency_rises_under_load() {
    GradientLimit limit = new GradientLimit(100, 1, 1000);
    int before = limit.limit();
    for (int i = 0; i < 10; i++) {
      window(limit, 30 * MS, 10 * MS, 100);
    }
    assertThat(limit.limit()).isLessThan(before * 3 / 4);
  }

  @Test
  void settles_near_capacity_on_an_overloaded_server_with_a_bounded_queue() {
    GradientLimit limit = new GradientLimit(200, 1, 1000);
    int capacity = 16;
    for (int i = 0; i < 600; i++) {
      overloadedWindow(limit, capacity, 10 * MS);
    }
    // at least the capacity (workers never idle), and a queue well under a service time per request
    assertThat(limit.limit()).isBetween(capacity, 2 * capacity);
  }

  @Test
  void never_leaves_min_and_max() {
    GradientLimit limit = new GradientLimit(5, 4, 8);
    for (int i = 0; i < 100; i++) {
      window(limit, 0, 10 * MS, 100);
      assertThat(limit.limit()).isBetween(4, 8);
    }
    assertThat(limit.limit()).isEqualTo(8);
    for (int i = 0; i < 100; i++) {
      window(limit, 1000 * MS, 10 * MS, 100);
      assertThat(limit.limit()).isBetween(4, 8);
    }
    assertThat(limit.limit()).isEqualTo(4);
  }

  @Test
  void recovers_after_the_overload_ends() {
    GradientLimit limit = new GradientLimit(50, 1, 1000);
    for (int i = 0; i < 40; i++) {
      window(limit, 40 * MS, 10 * MS, limit.limit());
    }
    int shrunk = limit.limit();
    assertThat(shrunk).isLessThan(25);
    for (int i = 0; i < 60; i++) {
      window(limit, 0, 10 * MS, limit.limit());
    }
    assertThat(limit.limit()).isGreaterThan(50);
  }

  @Test
  void a_window_needs_enough_time_and_enough_samples() {
    GradientLimit limit = new GradientLimit(100, 1, 1000);
    // many samples of heavy waiting at one instant: no window has passed, nothing moves
    for (int i = 0; i < 1000; i++) {
      limit.sample(0, 1000 * MS, 10 * MS, 100);
    }
    assertThat(limit.limit()).isEqualTo(100);
    // then the window ends with the next sample
    limit.sample(GradientLimit.WINDOW_NANOS, 1000 * MS, 10 * MS, 100);
    assertThat(limit.limit()).isLessThan(100);
    // a long time but too few samples: nothing moves
    int after = limit.limit();
    limit.sample(100 * GradientLimit.WINDOW_NANOS, 1000 * MS, 10 * MS, 100);
    assertThat(limit.limit()).isEqualTo(after);
  }

  @Test
  void an_application_that_becomes_slower_by_itself_sheds_nothing() {
    GradientLimit limit = new GradientLimit(50, 1, 1000);
    for (int i = 0; i < 20; i++) {
      window(limit, 0, 10 * MS, 50);
    }
    int before = limit.limit();
    for (int i = 0; i < 20; i++) {
      window(limit, 0, 500 * MS, limit.limit());
    }
    assertThat(limit.limit()).isGreaterThanOrEqualTo(before);
  }

  @Test
  void rejects_bounds_that_do_not_nest() {
    assertThatThrownBy(() -> new GradientLimit(1, 2, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GradientLimit(5, 0, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GradientLimit(5, 6, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
