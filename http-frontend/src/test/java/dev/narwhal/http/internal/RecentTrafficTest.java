package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentTrafficTest {
  final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  final RecentTraffic recent = new RecentTraffic(clock::get);

  static long ms(double ms) {
    return (long) (ms * 1_000_000);
  }

  @Test
  void every_latency_falls_in_a_bucket_whose_bounds_contain_it() {
    for (long us = 0; us < 5_000_000; us = us < 100 ? us + 1 : us * 11 / 10) {
      int b = RecentTraffic.bucket(us);
      assertThat(b).isBetween(0, RecentTraffic.BUCKETS - 1);
      assertThat(us).as("µs %d in bucket %d", us, b).isLessThan(RecentTraffic.upperMicros(b));
      if (b > 0) {
        assertThat(us).isGreaterThanOrEqualTo(RecentTraffic.upperMicros(b - 1));
      }
    }
    assertThat(RecentTraffic.bucket(Long.MAX_VALUE)).isLessThan(RecentTraffic.BUCKETS);
  }

  @Test
  void percentiles_are_within_a_quarter_and_never_understated() {
    for (int i = 1; i <= 100; i++) {
      recent.record(ms(i), false);
    }
    RecentTraffic.Summary s = recent.summary(60);
    assertThat(s.requests()).isEqualTo(100);
    assertThat(s.p50Ms()).isBetween(50.0, 50 * 1.25);
    assertThat(s.p99Ms()).isBetween(99.0, 99 * 1.25);
  }

  @Test
  void each_second_has_its_own_slot_and_old_seconds_are_forgotten() {
    recent.record(ms(1), false);
    clock.addAndGet(1000);
    recent.record(ms(2), true);
    recent.record(ms(2), false);

    RecentTraffic.Window w = recent.window(3);
    assertThat(w.counts()).containsExactly(0, 1, 2);
    assertThat(w.errors()).containsExactly(0, 0, 1);
    assertThat(w.p50Ms()[0]).isNaN();
    assertThat(w.p50Ms()[2]).isCloseTo(2.0, within(0.5));
    assertThat(recent.summary(10).rate()).isEqualTo(0.3);

    clock.addAndGet(RecentTraffic.SECONDS * 1000L); // the same slots, a later lap
    recent.record(ms(3), false);
    assertThat(recent.summary(RecentTraffic.SECONDS).requests()).isEqualTo(1);
  }
}
