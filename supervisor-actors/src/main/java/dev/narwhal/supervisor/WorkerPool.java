package dev.narwhal.supervisor;

import dev.narwhal.WorkerInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
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
 * its successor (the handle whose {@link WorkerHandle#predecessor} it is) has booted, then
 * {@link Role#RETIRING} until it stops; neither counts toward the target, so the successor fills
 * the slot and capacity never dips.
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
   * @param predecessor the worker this one replaces, until this one has booted (or failed to); else null
   * @param timeoutCounted whether a timeout has already been counted as its restart (it may time out
   *     more than once)
   */
  public record WorkerHandle(int index, ActorRef<Worker.Command> ref, WorkerMeter meter, int phase, boolean booted,
      Role role, ActorRef<Worker.Command> predecessor, boolean timeoutCounted) {

    /** A worker that replaces no one. */
    public WorkerHandle(int index, ActorRef<Worker.Command> ref, WorkerMeter meter, int phase, boolean booted,
        Role role) {
      this(index, ref, meter, phase, booted, role, null, false);
    }

    /** This worker as hooks and the supervision policy see it, in {@code pool}. */
    public WorkerInfo info(String pool) {
      return new WorkerInfo(index, phase, meter.served(), pool);
    }

    public Instant startedAt() {
      return meter.startedAt();
    }

    /** What {@code /stats} shows for it. */
    public WorkerState state() {
      if (!booted) {
        return WorkerState.BOOTING;
      }
      if (role == Role.RETIRING) {
        return WorkerState.DRAINING;
      }
      return meter.inFlight() > 0 ? WorkerState.BUSY : WorkerState.IDLE;
    }

    WorkerHandle withRole(Role newRole) {
      return new WorkerHandle(index, ref, meter, phase, booted, newRole, predecessor, timeoutCounted);
    }

    WorkerHandle asBooted() {
      return new WorkerHandle(index, ref, meter, phase, true, role, predecessor, timeoutCounted);
    }

    WorkerHandle withPredecessor(ActorRef<Worker.Command> newPredecessor) {
      return new WorkerHandle(index, ref, meter, phase, booted, role, newPredecessor, timeoutCounted);
    }

    WorkerHandle asTimeoutCounted() {
      return new WorkerHandle(index, ref, meter, phase, booted, role, predecessor, true);
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

  /**
   * The pool without the worker behind {@code ref}; unchanged if it is not known. A successor of
   * that worker no longer replaces anyone: there is nothing left to retire once it boots.
   */
  public WorkerPool without(ActorRef<?> ref) {
    if (!byRef.containsKey(ref)) {
      return this;
    }
    LinkedHashMap<ActorRef<?>, WorkerHandle> copy = new LinkedHashMap<>(byRef);
    copy.remove(ref);
    copy.replaceAll((r, h) -> ref.equals(h.predecessor()) ? h.withPredecessor(null) : h);
    return new WorkerPool(copy);
  }

  public WorkerPool markBooted(ActorRef<?> ref) {
    return find(ref).map(h -> with(h.asBooted())).orElse(this);
  }

  public WorkerPool withRole(ActorRef<?> ref, Role role) {
    return find(ref).map(h -> with(h.withRole(role))).orElse(this);
  }

  /** The worker behind {@code ref} replaces no one any more (it booted, or failed to). */
  public WorkerPool withoutPredecessor(ActorRef<?> ref) {
    return find(ref).map(h -> with(h.withPredecessor(null))).orElse(this);
  }

  /** Its timeout has been counted as the worker's restart. */
  public WorkerPool withTimeoutCounted(ActorRef<?> ref) {
    return find(ref).map(h -> with(h.asTimeoutCounted())).orElse(this);
  }

  /**
   * Workers waiting for a successor that no booting worker is: their successor failed to boot or
   * died while booting, so another must be spawned.
   */
  public List<WorkerHandle> awaitingSuccessor() {
    Set<ActorRef<?>> replaced = byRef.values().stream().map(WorkerHandle::predecessor)
        .filter(Objects::nonNull).collect(Collectors.toSet());
    return byRef.values().stream().filter(h -> h.role() == Role.REPLACING && !replaced.contains(h.ref())).toList();
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
