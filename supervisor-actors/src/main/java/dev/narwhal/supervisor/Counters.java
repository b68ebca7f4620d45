package dev.narwhal.supervisor;

import dev.narwhal.supervisor.Stats.RestartReason;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;

/** The arbiter's lifetime totals, for {@link Stats}; mutable, owned by the arbiter alone. */
final class Counters {
  long spawned;
  long crashed;
  long timedOut;
  long recycled;
  long reloads;
  private final List<Thread> abandoned = new ArrayList<>();
  private final EnumMap<RestartReason, Long> restarts = new EnumMap<>(RestartReason.class);
  private final ArrayDeque<Stats.Restart> recentRestarts = new ArrayDeque<>();

  /** A worker is being stopped or replaced, for {@code reason}: counted, and kept for the dashboard. */
  void restarted(int index, int phase, RestartReason reason) {
    restarts.merge(reason, 1L, Long::sum);
    if (recentRestarts.size() == Stats.RECENT_RESTARTS) {
      recentRestarts.removeFirst();
    }
    recentRestarts.addLast(new Stats.Restart(Instant.now(), index, phase, reason));
  }

  void abandon(Thread thread) {
    if (thread != null) {
      abandoned.add(thread);
    }
  }

  /** Threads given up on that are still alive: stuck for good, as far as anyone can tell. */
  int abandonedAlive() {
    abandoned.removeIf(t -> !t.isAlive());
    return abandoned.size();
  }

  Stats snapshot(int target, int phase, WorkQueue queue, WorkerPool pool) {
    List<Stats.WorkerStatus> workers = pool.bySlot().stream().map(h -> new Stats.WorkerStatus(h.index(),
        h.phase(), h.state(), h.meter().served(), h.meter().inFlight(), h.startedAt(), h.meter().current())).toList();
    return new Stats(target, phase, queue.waitingCount(), spawned, crashed, timedOut, recycled, reloads,
        abandonedAlive(), workers, restarts, List.copyOf(recentRestarts), queue.admission());
  }
}
