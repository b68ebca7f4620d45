package dev.narwhal.supervisor;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The arbiter's view of its workers, and the pure decisions about them: which slots to fill, which
 * worker a reload replaces next, which one a scale-down retires. Immutable, so it is unit-tested
 * without actors.
 *
 * <p>A worker being replaced (recycling, reload) stays in the pool as {@link Role#REPLACING} until
 * its successor has booted, then {@link Role#RETIRING} until it stops; neither counts toward the
 * target, so the successor fills the slot and capacity never dips.
 */
public final class WorkerPool {

  /** Where a worker is in its life, as far as the pool's arithmetic cares. */
  public enum Role {
    /** Counts toward the target (booting or serving). */
    ACTIVE,
    /** Still serving while its successor boots. */
    REPLACING,
    /** Told to finish what it has and stop. */
    RETIRING
  }

  /**
   * One worker as the arbiter knows it (Puma's worker handle).
   *
   * @param index its slot, 1-based; a successor takes its predecessor's slot
   * @param ref the actor
   * @param meter its live counters
   * @param phase the generation it was started in
   * @param booted whether its application has started
   * @param role see {@link Role}
   */
  public record WorkerHandle(int index, ActorRef<Worker.Command> ref, WorkerMeter meter, int phase, boolean booted,
      Role role) {
    public Instant startedAt() {
      return meter.startedAt();
    }

    WorkerHandle withRole(Role newRole) {
      return new WorkerHandle(index, ref, meter, phase, booted, newRole);
    }

    WorkerHandle asBooted() {
      return new WorkerHandle(index, ref, meter, phase, true, role);
    }

    boolean counts() {
      return role == Role.ACTIVE;
    }
  }

  private final LinkedHashMap<ActorRef<?>, WorkerHandle> byRef;

  private WorkerPool(LinkedHashMap<ActorRef<?>, WorkerHandle> byRef) {
    this.byRef = byRef;
  }

  public static WorkerPool empty() {
    return new WorkerPool(new LinkedHashMap<>());
  }

  public WorkerPool with(WorkerHandle handle) {
    LinkedHashMap<ActorRef<?>, WorkerHandle> copy = new LinkedHashMap<>(byRef);
    copy.put(handle.ref(), handle);
    return new WorkerPool(copy);
  }

  /** The pool without the worker behind {@code ref}; unchanged if it is not known. */
  public WorkerPool without(ActorRef<?> ref) {
    if (!byRef.containsKey(ref)) {
      return this;
    }
    LinkedHashMap<ActorRef<?>, WorkerHandle> copy = new LinkedHashMap<>(byRef);
    copy.remove(ref);
    return new WorkerPool(copy);
  }

  public WorkerPool markBooted(ActorRef<?> ref) {
    return find(ref).map(h -> with(h.asBooted())).orElse(this);
  }

  public WorkerPool withRole(ActorRef<?> ref, Role role) {
    return find(ref).map(h -> with(h.withRole(role))).orElse(this);
  }

  public Optional<WorkerHandle> find(ActorRef<?> ref) {
    return Optional.ofNullable(byRef.get(ref));
  }

  /** Every worker, in spawn order. */
  public Collection<WorkerHandle> handles() {
    return byRef.values();
  }

  /** Every worker, by slot then age, for display. */
  public List<WorkerHandle> bySlot() {
    return byRef.values().stream()
        .sorted(Comparator.comparingInt(WorkerHandle::index).thenComparing(WorkerHandle::startedAt))
        .toList();
  }

  public int size() {
    return byRef.size();
  }

  /** Workers that count toward the target. */
  public long activeCount() {
    return byRef.values().stream().filter(WorkerHandle::counts).count();
  }

  public long bootedCount() {
    return byRef.values().stream().filter(h -> h.counts() && h.booted()).count();
  }

  /** True when {@code target} workers count and every one of them has booted. */
  public boolean isComplete(int target) {
    return activeCount() >= target && bootedCount() >= target;
  }

  /** The slots to spawn to reach {@code target}: the lowest slots no counting worker holds. */
  public List<Integer> slotsToFill(int target) {
    Set<Integer> taken = byRef.values().stream().filter(WorkerHandle::counts).map(WorkerHandle::index)
        .collect(Collectors.toCollection(TreeSet::new));
    List<Integer> slots = new ArrayList<>();
    for (int i = 1; taken.size() + slots.size() < target; i++) {
      if (!taken.contains(i)) {
        slots.add(i);
      }
    }
    return slots;
  }

  /** The counting worker a scale-down retires: the oldest (gunicorn's TTOU kills the oldest). */
  public Optional<WorkerHandle> oldestActive() {
    return byRef.values().stream().filter(WorkerHandle::counts).min(Comparator.comparing(WorkerHandle::startedAt));
  }

  /**
   * The worker a rolling reload replaces next: a booted, counting worker of another phase than
   * {@code phase}, lowest slot first. Usually an older phase; after an aborted reload, the newer
   * phase that was given up, whose workers run the settings that failed. Empty while a
   * replacement of such a worker is still under way (one at a time) or when every worker is current.
   */
  public Optional<WorkerHandle> nextStale(int phase) {
    boolean replacing = byRef.values().stream().anyMatch(h -> h.role() == Role.REPLACING && h.phase() != phase);
    if (replacing) {
      return Optional.empty();
    }
    return byRef.values().stream()
        .filter(h -> h.counts() && h.booted() && h.phase() != phase)
        .min(Comparator.comparingInt(WorkerHandle::index));
  }

  /** Whether any worker not retiring is of another phase than {@code phase}. */
  public boolean hasStale(int phase) {
    return byRef.values().stream().anyMatch(h -> h.role() != Role.RETIRING && h.phase() != phase);
  }

  /**
   * The counting workers to retire to bring the pool down to {@code target}: those of
   * {@code phase} first (the ones still booting, then the highest slots), then the oldest of the
   * rest. Empty when the pool is not above its target.
   */
  public List<WorkerHandle> surplus(int target, int phase) {
    long excess = activeCount() - target;
    if (excess <= 0) {
      return List.of();
    }
    Comparator<WorkerHandle> order = Comparator.<WorkerHandle, Boolean>comparing(h -> h.phase() != phase)
        .thenComparing(h -> h.phase() == phase && h.booted())
        .thenComparing(h -> h.phase() == phase ? -h.index() : 0)
        .thenComparing(WorkerHandle::startedAt);
    return byRef.values().stream().filter(WorkerHandle::counts).sorted(order).limit(excess).toList();
  }

  /** Workers of {@code phase} that are not retiring (booting, serving, or waiting for a successor). */
  public long countInPhase(int phase) {
    return byRef.values().stream().filter(h -> h.role() != Role.RETIRING && h.phase() == phase).count();
  }

  /** Whether any worker of {@code phase} is left, in whatever role (a retiring one may still run requests). */
  public boolean hasAnyOfPhase(int phase) {
    return byRef.values().stream().anyMatch(h -> h.phase() == phase);
  }

  /** Total requests in flight across the pool. */
  public int inFlight() {
    return byRef.values().stream().mapToInt(h -> h.meter().inFlight()).sum();
  }
}
