package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.narwhal.supervisor.HeapPressure.Calm;
import dev.narwhal.supervisor.HeapPressure.Limits;
import dev.narwhal.supervisor.HeapPressure.Reclaimed;
import dev.narwhal.supervisor.HeapPressure.Recycle;
import dev.narwhal.supervisor.HeapPressure.Verdict;
import org.junit.jupiter.api.Test;

/** The heap-recycling decision, driven by synthetic readings of the old generation after each GC. */
class HeapPressureTest {
  static final long MAX = 1000;

  @Test
  void off_never_recycles() {
    HeapPressure pressure = new HeapPressure(Limits.OFF);
    for (int i = 0; i < 10; i++) {
      assertThat(pressure.observe(990, MAX)).isInstanceOf(Calm.class);
    }
  }

  @Test
  void pressure_must_last_the_configured_number_of_collections_in_a_row() {
    HeapPressure pressure = new HeapPressure(new Limits(0.8, 3));

    assertThat(pressure.observe(850, MAX)).isInstanceOf(Calm.class);
    assertThat(pressure.observe(870, MAX)).isInstanceOf(Calm.class);
    Verdict third = pressure.observe(880, MAX);

    assertThat(third).isEqualTo(new Recycle(880, MAX, 3));
  }

  @Test
  void one_collection_below_the_threshold_starts_the_count_over() {
    HeapPressure pressure = new HeapPressure(new Limits(0.8, 3));

    pressure.observe(850, MAX);
    pressure.observe(850, MAX);
    assertThat(pressure.observe(700, MAX)).isInstanceOf(Calm.class);
    assertThat(pressure.observe(850, MAX)).isInstanceOf(Calm.class);
    assertThat(pressure.observe(850, MAX)).isInstanceOf(Calm.class);
    assertThat(pressure.observe(850, MAX)).isInstanceOf(Recycle.class);
  }

  @Test
  void exactly_at_the_threshold_is_not_above_it() {
    HeapPressure pressure = new HeapPressure(new Limits(0.8, 1));

    assertThat(pressure.observe(800, MAX)).isInstanceOf(Calm.class);
    assertThat(pressure.observe(801, MAX)).isInstanceOf(Recycle.class);
  }

  @Test
  void after_a_recycle_it_waits_at_least_as_many_collections_then_reports_what_was_reclaimed() {
    HeapPressure pressure = new HeapPressure(new Limits(0.8, 2));
    pressure.observe(900, MAX);
    assertThat(pressure.observe(900, MAX)).isInstanceOf(Recycle.class);

    assertThat(pressure.observe(950, MAX)).isInstanceOf(Calm.class); // the old worker is still draining
    assertThat(pressure.observe(600, MAX)).isEqualTo(new Reclaimed(900, 600, MAX));
  }

  @Test
  void young_collections_that_leave_the_old_generation_full_do_not_recycle_the_next_worker() {
    HeapPressure pressure = new HeapPressure(new Limits(0.7, 3));
    for (int i = 0; i < 2; i++) {
      pressure.observe(800, MAX);
    }
    assertThat(pressure.observe(800, MAX)).isInstanceOf(Recycle.class);

    // promotions keep filling the old generation until a collection of it frees the retired worker's state
    for (int i = 0; i < 8; i++) {
      assertThat(pressure.observe(810 + 10 * i, MAX)).as("young collection %d", i).isInstanceOf(Calm.class);
    }
    assertThat(pressure.observe(450, MAX)).isEqualTo(new Reclaimed(800, 450, MAX));
    assertThat(pressure.observe(460, MAX)).isInstanceOf(Calm.class);
  }

  @Test
  void pressure_that_persists_after_a_recycle_recycles_the_next_worker_one_at_a_time() {
    HeapPressure pressure = new HeapPressure(new Limits(0.8, 1));

    assertThat(pressure.observe(900, MAX)).isInstanceOf(Recycle.class);
    assertThat(pressure.observe(890, MAX)).isEqualTo(new Reclaimed(900, 890, MAX));
    assertThat(pressure.observe(880, MAX)).isInstanceOf(Recycle.class);
  }

  @Test
  void a_recycle_that_frees_nothing_stops_waiting_after_ten_times_the_collections() {
    HeapPressure pressure = new HeapPressure(new Limits(0.8, 2));
    pressure.observe(900, MAX);
    pressure.observe(900, MAX);

    for (int i = 1; i < HeapPressure.GIVE_UP * 2; i++) {
      assertThat(pressure.observe(950, MAX)).isInstanceOf(Calm.class);
    }
    assertThat(pressure.observe(950, MAX)).isEqualTo(new Reclaimed(900, 900, MAX));
  }

  @Test
  void new_limits_start_the_count_over() {
    HeapPressure pressure = new HeapPressure(new Limits(0.8, 2));
    pressure.observe(900, MAX);

    pressure.limits(new Limits(0.85, 2));

    assertThat(pressure.observe(900, MAX)).isInstanceOf(Calm.class);
    assertThat(pressure.observe(900, MAX)).isInstanceOf(Recycle.class);
  }

  @Test
  void an_unknown_maximum_is_no_reading() {
    HeapPressure pressure = new HeapPressure(new Limits(0.5, 1));

    assertThat(pressure.observe(900, -1)).isInstanceOf(Calm.class);
  }

  @Test
  void limits_are_a_share_below_one_and_at_least_one_collection() {
    assertThatThrownBy(() -> new Limits(1.0, 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Limits(0.8, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void old_generation_pools_are_found_by_name_whatever_the_collector() {
    assertThat(HeapWatch.isOld("G1 Old Gen")).isTrue();
    assertThat(HeapWatch.isOld("PS Old Gen")).isTrue();
    assertThat(HeapWatch.isOld("Tenured Gen")).isTrue();
    assertThat(HeapWatch.isOld("ZGC Old Generation")).isTrue();
    assertThat(HeapWatch.isOld("G1 Eden Space")).isFalse();
    assertThat(HeapWatch.isOld("Shenandoah")).isFalse();
  }
}
