package dev.narwhal.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The notify protocol's pieces without systemd: the socket, the watchdog interval, reload progress. */
class SystemdNotifierTest {
  @TempDir
  Path dir;

  static Stats pool(int phase, int target, Object... workers) {
    List<Stats.WorkerStatus> statuses = new java.util.ArrayList<>();
    for (int i = 0; i < workers.length; i += 2) {
      statuses.add(new Stats.WorkerStatus(i / 2 + 1, (Integer) workers[i], (WorkerState) workers[i + 1], 0, 0,
          Instant.now()));
    }
    return new Stats(target, phase, 0, 0, 0, 0, 0, 0, 0, statuses);
  }

  @Test
  void a_datagram_sent_to_a_path_socket_arrives_whole() throws Exception {
    String socket = dir.resolve("notify.sock").toString();
    try (UnixDatagram receiver = UnixDatagram.bind(socket, 5_000); UnixDatagram sender = UnixDatagram.open()) {
      sender.send(socket, "READY=1\nSTATUS=Serving");

      assertThat(receiver.receive()).isEqualTo("READY=1\nSTATUS=Serving");
    }
  }

  @Test
  void a_datagram_sent_to_an_abstract_socket_arrives_too() throws Exception {
    String socket = "@narwhal-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (UnixDatagram receiver = UnixDatagram.bind(socket, 5_000); UnixDatagram sender = UnixDatagram.open()) {
      sender.send(socket, "WATCHDOG=1");

      assertThat(receiver.receive()).isEqualTo("WATCHDOG=1");
    }
  }

  @Test
  void without_notify_socket_there_is_no_notifier() {
    assertThat(SystemdNotifier.fromEnvironment(Map.of())).isEmpty();
  }

  @Test
  void the_watchdog_interval_counts_only_when_it_is_meant_for_this_process() {
    String me = Long.toString(ProcessHandle.current().pid());

    assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000")))
        .hasValue(Duration.ofSeconds(30));
    assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", me)))
        .hasValue(Duration.ofSeconds(30));
    assertThat(SystemdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "1")))
        .isEmpty();
    assertThat(SystemdNotifier.watchdogInterval(Map.of())).isEmpty();
  }

  @Test
  void a_reload_settles_once_every_worker_is_in_the_new_phase() {
    ReloadProgress progress = new ReloadProgress(1);

    assertThat(progress.settled(pool(1, 2, 1, WorkerState.IDLE, 1, WorkerState.IDLE))).as("not begun").isFalse();
    assertThat(progress.settled(pool(2, 2, 1, WorkerState.IDLE, 1, WorkerState.IDLE, 2, WorkerState.BOOTING)))
        .as("a successor boots").isFalse();
    assertThat(progress.settled(pool(2, 2, 1, WorkerState.DRAINING, 2, WorkerState.IDLE))).isFalse();
    assertThat(progress.settled(pool(2, 2, 2, WorkerState.IDLE, 2, WorkerState.BUSY))).isTrue();
  }

  @Test
  void a_rolled_back_reload_settles_when_the_old_phase_is_whole_again() {
    ReloadProgress progress = new ReloadProgress(1);

    assertThat(progress.settled(pool(2, 2, 1, WorkerState.IDLE, 2, WorkerState.BOOTING))).isFalse();
    assertThat(progress.settled(pool(1, 2, 1, WorkerState.IDLE, 2, WorkerState.DRAINING))).isFalse();
    assertThat(progress.settled(pool(1, 2, 1, WorkerState.IDLE, 1, WorkerState.IDLE))).isTrue();
  }

  @Test
  void the_status_line_counts_workers_by_state() {
    assertThat(SystemdNotifier.status(pool(3, 2, 3, WorkerState.IDLE, 3, WorkerState.BUSY)))
        .isEqualTo("Serving: 2 workers (1 idle, 1 busy, 0 booting), phase 3, 0 waiting");
  }
}
