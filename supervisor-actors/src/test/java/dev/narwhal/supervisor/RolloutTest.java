package dev.narwhal.supervisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RolloutTest {
  static final PoolSettings V1 = PoolSettings.of(2, ApplicationSource.perWorker(() -> request -> null));
  static final PoolSettings V2 = PoolSettings.of(3, ApplicationSource.perWorker(() -> request -> null));

  @Test
  void the_first_generation_is_phase_one_and_settled() {
    Rollout first = Rollout.first(V1);
    assertThat(first.phase()).isEqualTo(1);
    assertThat(first.settings()).isSameAs(V1);
    assertThat(first.stage()).isEqualTo(Rollout.Settled.INSTANCE);
    assertThat(first.reloading()).isFalse();
  }

  @Test
  void a_reload_takes_the_next_phase_and_can_fall_back_to_the_one_it_replaces() {
    Rollout reloading = Rollout.first(V1).begin(V2);
    assertThat(reloading.phase()).isEqualTo(2);
    assertThat(reloading.settings()).isSameAs(V2);
    assertThat(reloading.reloading()).isTrue();
    assertThat(reloading.mayBecomeCurrent(1)).isTrue();
    assertThat(reloading.mayBecomeCurrent(2)).isTrue();
  }

  @Test
  void a_completed_reload_has_nothing_to_fall_back_to() {
    Rollout done = Rollout.first(V1).begin(V2).complete();
    assertThat(done.phase()).isEqualTo(2);
    assertThat(done.reloading()).isFalse();
    assertThat(done.mayBecomeCurrent(1)).isFalse();
  }

  @Test
  void an_aborted_reload_makes_the_previous_phase_and_settings_current_and_rolls_its_phase_back() {
    Rollout aborted = Rollout.first(V1).begin(V2).abort();
    assertThat(aborted.phase()).isEqualTo(1);
    assertThat(aborted.settings()).isSameAs(V1);
    assertThat(aborted.stage()).isEqualTo(new Rollout.Back(2));
    assertThat(aborted.reloading()).isFalse();
    assertThat(aborted.mayBecomeCurrent(2)).isFalse();
    assertThat(aborted.complete().stage()).isEqualTo(Rollout.Settled.INSTANCE);
  }

  @Test
  void the_reload_after_an_aborted_one_never_reuses_its_phase_number() {
    Rollout next = Rollout.first(V1).begin(V2).abort().begin(V2);
    assertThat(next.phase()).isEqualTo(3);
    assertThat(next.mayBecomeCurrent(1)).isTrue();
    assertThat(next.mayBecomeCurrent(2)).isFalse();
  }

  @Test
  void a_reload_during_a_reload_falls_back_to_the_one_under_way() {
    Rollout second = Rollout.first(V1).begin(V2).begin(V1);
    assertThat(second.phase()).isEqualTo(3);
    assertThat(second.abort().phase()).isEqualTo(2);
    assertThat(second.abort().settings()).isSameAs(V2);
  }

  @Test
  void scaling_during_a_reload_keeps_the_fallback_unscaled() {
    Rollout scaled = Rollout.first(V1).begin(V2).withWorkers(5);
    assertThat(scaled.settings().workers()).isEqualTo(5);
    assertThat(scaled.reloading()).isTrue();
    assertThat(scaled.abort().settings().workers()).isEqualTo(2);
  }

  @Test
  void only_a_reload_under_way_can_be_aborted() {
    assertThatThrownBy(() -> Rollout.first(V1).abort()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Rollout.first(V1).begin(V2).abort().abort())
        .isInstanceOf(IllegalStateException.class);
  }
}
