package dev.narwhal.supervisor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The arbiter's view of its workers, and the pure decisions about them: which slots to fill,
 * whether the pool is complete. Immutable, so it is unit-tested without actors.
 */
public final class WorkerPool {

  /**
   * One worker as the arbiter knows it (Puma's worker handle).
   *
   * @param index its slot, 1-based; a replacement takes the slot of the worker it replaces
   * @param ref the actor
   * @param meter its live counters
   * @param booted whether its application has started
   */
  public record WorkerHandle(int index, ActorRef<Worker.Command> ref, WorkerMeter meter, boolean booted) {}

  private final TreeMap<Integer, WorkerHandle> byIndex;

  private WorkerPool(TreeMap<Integer, WorkerHandle> byIndex) {
    this.byIndex = byIndex;
  }

  public static WorkerPool empty() {
    return new WorkerPool(new TreeMap<>());
  }

  public WorkerPool with(WorkerHandle handle) {
    TreeMap<Integer, WorkerHandle> copy = new TreeMap<>(byIndex);
    copy.put(handle.index(), handle);
    return new WorkerPool(copy);
  }

  /** The pool without the worker behind {@code ref}; unchanged if it is not known. */
  public WorkerPool without(ActorRef<?> ref) {
    return find(ref).map(h -> {
      TreeMap<Integer, WorkerHandle> copy = new TreeMap<>(byIndex);
      copy.remove(h.index());
      return new WorkerPool(copy);
    }).orElse(this);
  }

  public WorkerPool markBooted(int index) {
    WorkerHandle h = byIndex.get(index);
    return h == null || h.booted() ? this : with(new WorkerHandle(h.index(), h.ref(), h.meter(), true));
  }

  public Optional<WorkerHandle> find(ActorRef<?> ref) {
    return byIndex.values().stream().filter(h -> h.ref().equals(ref)).findFirst();
  }

  public Collection<WorkerHandle> handles() {
    return byIndex.values();
  }

  public int size() {
    return byIndex.size();
  }

  public long bootedCount() {
    return byIndex.values().stream().filter(WorkerHandle::booted).count();
  }

  /** True when {@code target} workers exist and every one has booted. */
  public boolean isComplete(int target) {
    return size() >= target && bootedCount() >= target;
  }

  /** The slots to spawn to reach {@code target} workers: the lowest free indexes. */
  public List<Integer> slotsToFill(int target) {
    List<Integer> slots = new ArrayList<>();
    for (int i = 1; size() + slots.size() < target; i++) {
      if (!byIndex.containsKey(i)) {
        slots.add(i);
      }
    }
    return slots;
  }

  /** Total requests in flight across the pool. */
  public int inFlight() {
    return byIndex.values().stream().mapToInt(h -> h.meter().inFlight()).sum();
  }
}
