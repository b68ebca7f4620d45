package dev.narwhal.supervisor;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the pool, the arbiter's reply to {@link Arbiter.GetStats}.
 *
 * @param targetWorkers how many workers the arbiter keeps
 * @param backlog requests waiting for a worker
 * @param spawned workers started since the server started (replacements included)
 * @param crashed workers that died unexpectedly
 * @param workers one entry per live worker, by index
 */
public record Stats(int targetWorkers, int backlog, long spawned, long crashed, List<WorkerStatus> workers) {
  public Stats {
    workers = List.copyOf(workers);
  }

  /** Workers that have booted and take requests. */
  public long bootedWorkers() {
    return workers.stream().filter(w -> !w.state().equals("booting")).count();
  }

  /**
   * One worker as the arbiter sees it.
   *
   * @param index its slot number, reused by its replacement (1-based, like gunicorn's age order)
   * @param state {@code booting}, {@code idle} or {@code busy}
   * @param served requests it has answered
   * @param inFlight requests it is running now
   * @param startedAt when it was spawned
   */
  public record WorkerStatus(int index, String state, long served, int inFlight, Instant startedAt) {}
}
