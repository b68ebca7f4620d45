package dev.narwhal.supervisor;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the pool, the arbiter's reply to {@link Arbiter.GetStats}.
 *
 * @param targetWorkers how many workers the arbiter keeps
 * @param phase the current generation (1, then +1 per reload)
 * @param backlog requests waiting for a worker
 * @param spawned workers started since the server started (replacements included)
 * @param crashed workers that died unexpectedly
 * @param timedOut requests that overran the timeout (each cost its worker)
 * @param recycled workers replaced for reaching max-requests
 * @param reloads reloads started
 * @param abandonedThreads threads of timed-out requests that are still stuck
 * @param workers one entry per live worker, by slot
 */
public record Stats(int targetWorkers, int phase, int backlog, long spawned, long crashed, long timedOut,
    long recycled, long reloads, int abandonedThreads, List<WorkerStatus> workers) {
  public Stats {
    workers = List.copyOf(workers);
  }

  /** Workers that have booted and are not retiring. */
  public long bootedWorkers() {
    return workers.stream().filter(w -> w.state().equals("idle") || w.state().equals("busy")).count();
  }

  /**
   * One worker as the arbiter sees it.
   *
   * @param index its slot (1-based)
   * @param phase the generation it was started in
   * @param state {@code booting}, {@code idle}, {@code busy} or {@code retiring}
   * @param served requests it has answered
   * @param inFlight requests it is running now
   * @param startedAt when it was spawned
   */
  public record WorkerStatus(int index, int phase, String state, long served, int inFlight, Instant startedAt) {}
}
