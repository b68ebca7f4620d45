package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.http.internal.ServerState.Condition;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerStateTest {
  /** A pool whose target is its booted (idle or busy) workers, unless a test says otherwise. */
  static Stats pool(int phase, Stats.WorkerStatus... workers) {
    int booted = (int) List.of(workers).stream().filter(w -> w.state() == WorkerState.IDLE || w.state() == WorkerState.BUSY)
        .count();
    return pool(booted, phase, workers);
  }

  static Stats pool(int target, int phase, Stats.WorkerStatus... workers) {
    return new Stats(target, phase, 0, 0, 0, 0, 0, 0, 0, List.of(workers));
  }

  static Stats.WorkerStatus worker(int index, int phase, WorkerState state) {
    return new Stats.WorkerStatus(index, phase, state, 0, 0, Instant.now());
  }

  @Test
  void a_pool_whose_workers_are_all_of_the_current_phase_is_serving_and_ready() {
    ServerState state = ServerState.of(pool(3, worker(1, 3, WorkerState.IDLE), worker(2, 3, WorkerState.BUSY)), false);
    assertThat(state.condition()).isEqualTo(Condition.SERVING);
    assertThat(state.condition().label()).isEqualTo("serving");
    assertThat(state.ready()).isTrue();
  }

  @Test
  void old_phase_workers_still_serving_mean_reloading_and_still_ready() {
    ServerState state = ServerState.of(pool(2, worker(1, 2, WorkerState.IDLE), worker(2, 1, WorkerState.IDLE)), false);
    assertThat(state.condition().label()).isEqualTo("reloading");
    assertThat(state.ready()).isTrue();
  }

  @Test
  void workers_of_an_aborted_newer_phase_still_serving_mean_reloading_until_rolled_back() {
    assertThat(ServerState.of(pool(1, worker(1, 2, WorkerState.IDLE), worker(2, 1, WorkerState.IDLE)), false).condition())
        .isEqualTo(Condition.RELOADING);
    assertThat(ServerState.of(pool(1, worker(1, 2, WorkerState.DRAINING), worker(1, 1, WorkerState.IDLE)), false).condition())
        .isEqualTo(Condition.SERVING);
  }

  @Test
  void fewer_booted_workers_than_the_target_mean_booting_and_not_ready() {
    ServerState state = ServerState.of(pool(2, 1, worker(1, 1, WorkerState.IDLE), worker(2, 1, WorkerState.BOOTING)), false);
    assertThat(state.condition().label()).isEqualTo("booting");
    assertThat(state.ready()).isFalse();
    assertThat(state.reason()).isEqualTo("1 of 2 workers booted");
  }

  @Test
  void a_stopping_server_is_draining_and_not_ready_even_with_every_worker_booted() {
    ServerState state = ServerState.of(pool(1, worker(1, 1, WorkerState.IDLE)), true);
    assertThat(state.condition().label()).isEqualTo("draining");
    assertThat(state.ready()).isFalse();
    assertThat(state.reason()).isEqualTo("the server is stopping");
  }

  @Test
  void utilization_is_busy_workers_over_the_target_at_most_one() {
    assertThat(ServerState.of(pool(4, 1, worker(1, 1, WorkerState.BUSY), worker(2, 1, WorkerState.IDLE)), false).utilization())
        .isEqualTo(0.25);
    assertThat(ServerState.of(pool(1, 1, worker(1, 1, WorkerState.BUSY), worker(2, 1, WorkerState.BUSY)), false).utilization())
        .isEqualTo(1.0);
  }
}
