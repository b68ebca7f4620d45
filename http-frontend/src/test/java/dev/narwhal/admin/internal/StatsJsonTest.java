package dev.narwhal.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsJsonTest {
  static Stats pool(int phase, Stats.WorkerStatus... workers) {
    return new Stats(workers.length, phase, 0, 0, 0, 0, 0, 0, 0, List.of(workers));
  }

  static Stats.WorkerStatus worker(int index, int phase, WorkerState state) {
    return new Stats.WorkerStatus(index, phase, state, 0, 0, Instant.now());
  }

  @Test
  void a_pool_whose_workers_are_all_of_the_current_phase_is_serving() {
    assertThat(StatsJson.state(pool(3, worker(1, 3, WorkerState.IDLE), worker(2, 3, WorkerState.BUSY)), false)).isEqualTo("serving");
  }

  @Test
  void old_phase_workers_still_serving_mean_reloading() {
    assertThat(StatsJson.state(pool(2, worker(1, 2, WorkerState.IDLE), worker(2, 1, WorkerState.IDLE)), false)).isEqualTo("reloading");
  }

  @Test
  void workers_of_an_aborted_newer_phase_still_serving_mean_reloading_until_rolled_back() {
    assertThat(StatsJson.state(pool(1, worker(1, 2, WorkerState.IDLE), worker(2, 1, WorkerState.IDLE)), false)).isEqualTo("reloading");
    assertThat(StatsJson.state(pool(1, worker(1, 2, WorkerState.DRAINING), worker(1, 1, WorkerState.IDLE)), false)).isEqualTo("serving");
  }

  @Test
  void a_stopping_server_is_draining() {
    assertThat(StatsJson.state(pool(1, worker(1, 1, WorkerState.IDLE)), true)).isEqualTo("draining");
  }
}
