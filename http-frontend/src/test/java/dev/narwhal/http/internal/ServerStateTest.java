package dev.narwhal.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.http.internal.ServerState.Condition;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

  @Test
  void a_named_pool_short_of_booted_workers_makes_the_server_not_ready_and_the_reason_names_it() {
    Stats main = pool(2, 1, worker(1, 1, WorkerState.IDLE), worker(2, 1, WorkerState.IDLE));
    Stats reports = pool(1, 1, worker(1, 1, WorkerState.BOOTING));
    ServerState state = ServerState.of(main.withPools(Map.of("default", main, "reports", reports)), false);

    assertThat(state.condition()).isEqualTo(Condition.BOOTING);
    assertThat(state.ready()).isFalse();
    assertThat(state.reason()).isEqualTo("2 of 3 workers booted (reports: 0 of 1)");
    assertThat(state.bootedWorkers()).isEqualTo(2L);
    assertThat(state.targetWorkers()).isEqualTo(3);
  }

  @Test
  void a_named_pool_mid_reload_makes_the_server_reloading_and_every_pool_booted_makes_it_serving() {
    Stats main = pool(1, 1, worker(1, 1, WorkerState.IDLE));
    Stats reloading = pool(1, 2, worker(1, 1, WorkerState.IDLE), worker(2, 2, WorkerState.IDLE));
    Stats settled = pool(1, 2, worker(2, 2, WorkerState.IDLE));

    assertThat(ServerState.of(main.withPools(Map.of("default", main, "reports", reloading)), false).condition())
        .isEqualTo(Condition.RELOADING);
    ServerState serving = ServerState.of(main.withPools(Map.of("default", main, "reports", settled)), false);
    assertThat(serving.condition()).isEqualTo(Condition.SERVING);
    assertThat(serving.reason()).isEqualTo("2 of 2 workers booted");
  }
}
