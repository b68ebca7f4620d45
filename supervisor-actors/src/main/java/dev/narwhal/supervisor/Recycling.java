package dev.narwhal.supervisor;

import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.SupervisionPolicy.WorkerFigures;
import dev.narwhal.supervisor.HeapPressure.Reclaimed;
import dev.narwhal.supervisor.HeapPressure.Recycle;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.supervisor.WorkerPool.WorkerHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * Which healthy workers to recycle besides those that reach {@code max-requests} (which ask
 * themselves): those past their drawn {@code max-worker-lifetime}, those the supervision policy's
 * {@link SupervisionPolicy#recycle} names, and under heap pressure the oldest one. Decides only;
 * the {@link PoolKeeper} replaces them, successor first. Used on the arbiter's thread.
 */
final class Recycling {

  /** A worker to recycle, why (the restart's reason), and what the log says. */
  record Due(WorkerHandle worker, RestartReason reason, String why) {}

  private final Logger log;
  private final HeapPressure heap;
  /** The slot recycled for heap pressure, until the reading that shows what it reclaimed; 0 if none. */
  private int heapRecycledSlot;

  Recycling(Logger log, HeapPressure.Limits limits) {
    this.log = log;
    this.heap = new HeapPressure(limits);
  }

  void limits(HeapPressure.Limits limits) {
    heap.limits(limits);
  }

  /**
   * The serving workers (booted, counting, not already being replaced) past their lifetime or named
   * by the policy, in spawn order. Pure but for the policy, which is the user's code.
   */
  static List<Due> due(String pool, Iterable<WorkerHandle> workers, Instant now, SupervisionPolicy policy) {
    List<Due> due = new ArrayList<>();
    for (WorkerHandle h : workers) {
      if (!h.counts() || !h.booted()) {
        continue;
      }
      Duration age = Duration.between(h.startedAt(), now);
      if (RecyclePolicy.outlived(h.startedAt(), h.meter().lifetime(), now)) {
        due.add(new Due(h, RestartReason.LIFETIME, "reached max-worker-lifetime (" + age.toSeconds() + " s old)"));
        continue;
      }
      WorkerFigures figures = new WorkerFigures(h.info(pool), age, h.meter().errors());
      policy.recycle(figures).ifPresent(why -> due.add(new Due(h, RestartReason.POLICY, why)));
    }
    return due;
  }

  /**
   * One GC reading: the oldest serving worker to recycle, if the pressure calls for it and nothing is
   * being replaced already (one at a time). With a shared (preloaded) application it only warns:
   * workers hold no state of their own to free.
   */
  Optional<Due> heapObserved(Arbiter.HeapObserved reading, WorkerPool pool, boolean preloaded) {
    switch (heap.observe(reading.used(), reading.max())) {
      case Recycle r when preloaded -> log.warn("Old generation at {} of the heap after {} collections in a row; "
          + "not recycling workers: with preload-app they share one application, recycling frees nothing",
          percent(r.used(), r.max()), r.collections());
      case Recycle r -> {
        boolean replacing = pool.handles().stream().anyMatch(h -> h.role() == WorkerPool.Role.REPLACING);
        Optional<WorkerHandle> oldest = replacing ? Optional.empty()
            : pool.handles().stream().filter(h -> h.counts() && h.booted())
                .min(java.util.Comparator.comparing(WorkerHandle::startedAt));
        heapRecycledSlot = oldest.map(WorkerHandle::index).orElse(0);
        return oldest.map(h -> new Due(h, RestartReason.HEAP, "old generation at " + percent(r.used(), r.max())
            + " of the heap after " + r.collections() + " collections in a row (heap-recycle-threshold)"));
      }
      case Reclaimed r when heapRecycledSlot > 0 -> {
        log.info("Heap recycling of worker {} reclaimed {} MB: old generation {} -> {} MB ({} of the heap)",
            heapRecycledSlot, (r.before() - r.after()) >> 20, r.before() >> 20, r.after() >> 20,
            percent(r.after(), r.max()));
        heapRecycledSlot = 0;
      }
      default -> { }
    }
    return Optional.empty();
  }

  private static String percent(long used, long max) {
    return Math.round(100.0 * used / max) + "%";
  }
}
