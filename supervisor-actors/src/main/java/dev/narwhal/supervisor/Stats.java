package dev.narwhal.supervisor;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of the pool, the arbiter's reply to {@link Arbiter.GetStats}.
 *
 * @param targetWorkers how many workers the arbiter keeps
 * @param phase the current generation: 1, then a new number per reload, never reused; an aborted
 *     reload makes the previous phase current again (its own workers are then rolled back)
 * @param backlog requests waiting for a worker
 * @param spawned workers started since the server started (replacements included)
 * @param crashed workers that died unexpectedly
 * @param timedOut requests that overran the timeout (each cost its worker)
 * @param recycled workers recycled (max-requests, max-worker-lifetime, heap pressure, the policy)
 * @param reloads reloads started
 * @param abandonedThreads threads of timed-out requests (and boots) that are still stuck
 * @param workers one entry per live worker, by slot
 * @param restarts workers stopped or replaced since start, by reason (every reason present)
 * @param recentRestarts the latest restarts, oldest first (at most {@link #RECENT_RESTARTS})
 * @param admission the concurrency limit, what is in flight under it, and what was shed
 * @param pools every pool's own snapshot by name, the default pool first (its figures are also this
 *     snapshot's top-level ones, as before pools existed); empty in a pool's own snapshot
 */
public record Stats(int targetWorkers, int phase, int backlog, long spawned, long crashed, long timedOut,
    long recycled, long reloads, int abandonedThreads, List<WorkerStatus> workers,
    Map<RestartReason, Long> restarts, List<Restart> recentRestarts, WorkQueue.Admission admission,
    Map<String, Stats> pools) {

  /** How many restarts {@link #recentRestarts} keeps. */
  public static final int RECENT_RESTARTS = 50;

  public Stats {
    workers = List.copyOf(workers);
    EnumMap<RestartReason, Long> all = new EnumMap<>(RestartReason.class);
    for (RestartReason r : RestartReason.values()) {
      all.put(r, restarts.getOrDefault(r, 0L));
    }
    restarts = Map.copyOf(all);
    recentRestarts = List.copyOf(recentRestarts);
    admission = admission == null ? WorkQueue.Admission.OFF : admission;
    pools = pools == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(pools));
  }

  /** One pool's snapshot. */
  public Stats(int targetWorkers, int phase, int backlog, long spawned, long crashed, long timedOut,
      long recycled, long reloads, int abandonedThreads, List<WorkerStatus> workers,
      Map<RestartReason, Long> restarts, List<Restart> recentRestarts, WorkQueue.Admission admission) {
    this(targetWorkers, phase, backlog, spawned, crashed, timedOut, recycled, reloads, abandonedThreads, workers,
        restarts, recentRestarts, admission, Map.of());
  }

  /** One pool's snapshot, without a concurrency limit. */
  public Stats(int targetWorkers, int phase, int backlog, long spawned, long crashed, long timedOut,
      long recycled, long reloads, int abandonedThreads, List<WorkerStatus> workers,
      Map<RestartReason, Long> restarts, List<Restart> recentRestarts) {
    this(targetWorkers, phase, backlog, spawned, crashed, timedOut, recycled, reloads, abandonedThreads, workers,
        restarts, recentRestarts, WorkQueue.Admission.OFF, Map.of());
  }

  /** This snapshot (the default pool's) with every pool's, the default's included. */
  public Stats withPools(Map<String, Stats> byName) {
    return new Stats(targetWorkers, phase, backlog, spawned, crashed, timedOut, recycled, reloads, abandonedThreads,
        workers, restarts, recentRestarts, admission, byName);
  }

  /** Every pool's snapshot by name; a snapshot without that breakdown is the default pool alone. */
  public Map<String, Stats> byPool() {
    return pools.isEmpty() ? Map.of(Guardian.DEFAULT, this) : pools;
  }

  /** Requests every worker of this snapshot's pool has answered (live workers only). */
  public long served() {
    return workers.stream().mapToLong(WorkerStatus::served).sum();
  }

  /** Requests running now. */
  public long busy() {
    return workers.stream().mapToLong(WorkerStatus::inFlight).sum();
  }

  public Stats(int targetWorkers, int phase, int backlog, long spawned, long crashed, long timedOut,
      long recycled, long reloads, int abandonedThreads, List<WorkerStatus> workers) {
    this(targetWorkers, phase, backlog, spawned, crashed, timedOut, recycled, reloads, abandonedThreads, workers,
        Map.of(), List.of(), WorkQueue.Admission.OFF);
  }

  /** Workers that have booted and are not draining. */
  public long bootedWorkers() {
    return workers.stream().filter(w -> w.state().serves()).count();
  }

  /** Workers in {@code state}. */
  public long workersIn(WorkerState state) {
    return workers.stream().filter(w -> w.state() == state).count();
  }

  /**
   * One worker as the arbiter sees it.
   *
   * @param index its slot (1-based)
   * @param phase the generation it was started in
   * @param state see {@link WorkerState}
   * @param served requests it has answered
   * @param inFlight requests it is running now
   * @param startedAt when it was spawned
   * @param current the requests it is running now
   */
  public record WorkerStatus(int index, int phase, WorkerState state, long served, int inFlight, Instant startedAt,
      List<CurrentRequest> current) {
    public WorkerStatus {
      current = List.copyOf(current);
    }

    public WorkerStatus(int index, int phase, WorkerState state, long served, int inFlight, Instant startedAt) {
      this(index, phase, state, served, inFlight, startedAt, List.of());
    }
  }

  /** A request a worker is running: what it is, and how long it has run. */
  public record CurrentRequest(String method, String path, long ageMs) {}

  /** Why a worker was stopped or replaced; {@link #label()} is the metric's {@code reason} tag. */
  public enum RestartReason {
    /** its request overran {@code timeout} */
    TIMEOUT("timeout"),
    /** it served {@code max-requests} */
    MAX_REQUESTS("max_requests"),
    /** it died (an {@link Error} in the handler, or an actor failure) */
    CRASH("crash"),
    /** a rolling reload replaced it, or retired it when the new phase has fewer workers */
    RELOAD("reload"),
    /** a scale-down retired it */
    SCALE("scale"),
    /** it outlived {@code max-worker-lifetime} */
    LIFETIME("lifetime"),
    /** the old generation stayed above {@code heap-recycle-threshold} */
    HEAP("heap"),
    /** the supervision policy recycled it ({@code SupervisionPolicy.recycle}) */
    POLICY("policy");

    private final String label;

    RestartReason(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One restart: when, which worker (slot and phase), and why. */
  public record Restart(Instant at, int index, int phase, RestartReason reason) {}
}
