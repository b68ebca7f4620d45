package dev.narwhal.supervisor;

import dev.narwhal.ServerHooks;
import dev.narwhal.WorkerInfo;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.SupervisionPolicy.StopServer;
import dev.narwhal.supervisor.Arbiter.WorkerBootFailed;
import dev.narwhal.supervisor.Arbiter.WorkerTimedOut;
import dev.narwhal.supervisor.Arbiter.WornOut;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.supervisor.WorkerPool.Role;
import dev.narwhal.supervisor.WorkerPool.WorkerHandle;
import dev.narwhal.supervisor.internal.TimeoutReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * What the {@link Arbiter} does to its pool (gunicorn's spawn/manage/reap, Puma's cluster loop):
 * spawns workers, replaces them successor first, retires and culls them, rolls reloads one worker
 * at a time and aborts a broken one. The arbiter decides <em>when</em> (its messages and
 * behaviours); this class decides <em>what</em>, with the pure arithmetic in {@link WorkerPool},
 * {@link Rollout}, {@link Supervision} and {@link Recycling}. It owns those values, the per-phase application sources
 * and the lifetime counters. Created by the arbiter and used only on its actor's thread.
 */
final class PoolKeeper {
  /** How often workers' ages and figures are checked for recycling. */
  static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

  private final ActorContext<Arbiter.Command> ctx;
  private static final Marker CRITICAL = MarkerFactory.getMarker("CRITICAL");
  private final Logger log;
  private final WorkQueue queue;
  private final ServerHooks userHooks;
  private final HookInvoker hooks;
  private final Counters counters = new Counters();
  private final PhaseSources sources = new PhaseSources();
  private Rollout rollout;
  private WorkerPool pool = WorkerPool.empty();
  private final Supervision supervision = new Supervision();
  private final Recycling recycling;
  /** The pool's name as hooks see it ({@link WorkerInfo#pool}). */
  private final String poolName;

  PoolKeeper(ActorContext<Arbiter.Command> ctx, String poolName, PoolSettings settings, WorkQueue queue,
      ServerHooks userHooks) {
    this.ctx = ctx;
    this.poolName = poolName;
    this.log = ctx.getLog();
    this.queue = queue;
    this.userHooks = userHooks;
    this.hooks = new HookInvoker(userHooks);
    this.rollout = Rollout.first(settings);
    sources.add(rollout.phase(), settings.app());
    this.recycling = new Recycling(log, settings.heap());
  }

  private SupervisionPolicy policy() {
    return rollout.settings().policy();
  }

  /**
   * Whether the server must stop (the policy decided so), and with what status: each decision is
   * returned once, for the arbiter to act on as its state says.
   */
  Optional<StopServer> takeFatal() {
    return supervision.takeFatal();
  }

  WorkerPool pool() {
    return pool;
  }

  /** How many workers the pool keeps. */
  int target() {
    return rollout.settings().workers();
  }

  Stats stats() {
    return counters.snapshot(target(), rollout.phase(), queue, pool);
  }

  /** A worker is up. If it is a successor, its predecessor now retires; a reload moves on. */
  void booted(ActorRef<Worker.Command> worker) {
    supervision.booted();
    ActorRef<Worker.Command> predecessor = pool.find(worker).map(WorkerHandle::predecessor).orElse(null);
    pool = pool.markBooted(worker).withoutPredecessor(worker);
    if (predecessor != null) {
      predecessor.tell(Worker.Retire.INSTANCE);
      pool = pool.withRole(predecessor, Role.RETIRING);
    }
    rollNext();
  }

  /** Asks the policy what a failed boot means: retry now or later, or stop the server (see {@link #fatal}). */
  void bootFailed(WorkerBootFailed failed) {
    log.error("Worker {} failed to boot: {}", failed.index(), failed.cause().toString(), failed.cause());
    counters.abandon(failed.abandoned());
    Optional<WorkerHandle> handle = pool.find(failed.worker());
    // a predecessor keeps serving (and asks again at its next request) whatever comes next
    handle.map(WorkerHandle::predecessor).ifPresent(p -> pool = pool.withRole(p, Role.ACTIVE));
    pool = pool.withoutPredecessor(failed.worker());
    if (handle.map(WorkerHandle::phase).orElse(rollout.phase()) != rollout.phase()) {
      return; // a worker of a reload already aborted, whose boot failed before its Retire reached it
    }
    if (rollout.reloading()) {
      // a new-phase worker that cannot boot, a successor or one of the slots a reload added, means a
      // broken deploy; counted as boot failures instead, enough added slots would stop the server
      abortReload(failed.worker());
      return;
    }
    supervision.bootFailed(policy(), new WorkerInfo(failed.index(), rollout.phase(), 0, poolName), failed.cause());
  }

  /**
   * A broken deploy must not take the pool down: the previous phase and worker count are current
   * again. Slots the reload added are retired, its own workers first; slots it removed are filled
   * again; its workers that did boot run the settings that failed, so they are rolled back the way a
   * reload rolls forward, successor first, one at a time.
   */
  private void abortReload(ActorRef<Worker.Command> failed) {
    int aborted = rollout.phase();
    int abortedTarget = target();
    rollout = rollout.abort();
    int restoredTarget = target();
    log.error("Reload aborted: a phase {} worker failed to boot; phase {} workers keep serving", aborted,
        rollout.phase());
    if (abortedTarget != restoredTarget) {
      hooks.call("workerCountChanged", h -> h.workerCountChanged(abortedTarget, restoredTarget));
    }
    // the failed worker stops by itself; its slot is filled once it has
    pool.without(failed).surplus(restoredTarget, aborted).forEach(h -> retire(h, RestartReason.RELOAD));
    spawnWorkers();
    long leftOver = pool.without(failed).countInPhase(aborted);
    if (leftOver > 0) {
      log.warn("Rolling back the phase {} workers that booted ({}) to phase {}, one at a time", aborted, leftOver,
          rollout.phase());
    } else {
      rollout = rollout.complete();
    }
    rollNext();
  }

  void wornOut(ActorRef<Worker.Command> worker, WornOut reason) {
    pool.find(worker).filter(WorkerHandle::counts).ifPresent(h -> {
      if (reason == WornOut.MAX_REQUESTS) {
        recycle(new Recycling.Due(h, RestartReason.MAX_REQUESTS, "reached max-requests (" + h.meter().served()
            + " served)"));
      } else {
        log.warn("Worker {} has a stuck thread; booting its successor", h.index());
        replace(h);
      }
    });
  }

  void timedOut(WorkerTimedOut t) {
    counters.timedOut++;
    // a sync worker stops now; one with more threads asks for a successor (WornOut.STUCK_THREAD):
    // either way one restart for timeout, unless it was already on its way out for another reason
    pool.find(t.worker()).filter(h -> h.counts() && !h.timeoutCounted()).ifPresent(h -> {
      counters.restarted(h.index(), h.phase(), RestartReason.TIMEOUT);
      pool = pool.withTimeoutCounted(h.ref());
    });
    counters.abandon(t.thread());
    // Gunicorn logs its WORKER TIMEOUT at critical: the marker makes it statsd's gunicorn.log.critical
    log.error(CRITICAL, TimeoutReport.format(t.index(), t.request(), t.ageMs(), t.thread(), t.stack()));
    WorkerInfo info = pool.find(t.worker()).map(this::info).orElse(new WorkerInfo(t.index(), rollout.phase(), 0, poolName));
    hooks.call("workerTimedOut", h -> h.workerTimedOut(info, t.request(), t.stack()));
    supervision.timedOut(policy(), info, t.request(), Duration.ofMillis(t.ageMs()));
  }

  /**
   * Gunicorn's reap: forgets the worker and tops the pool up, unless boots are failing, the policy
   * asked for a delay, or the policy decided the server must stop.
   *
   * @return the backoff to wait before topping up (then call {@link #respawn})
   */
  Optional<Duration> reap(Terminated terminated) {
    Optional<Duration> delay = supervision.respawnDelay();
    if (terminated instanceof ChildFailed failed) {
      pool.find(terminated.getRef()).ifPresent(h -> {
        counters.crashed++;
        counters.restarted(h.index(), h.phase(), RestartReason.CRASH);
        log.error("Worker {} crashed: {}", h.index(), failed.getCause().toString());
      });
      delay = supervision.crashed(failed.getCause());
    }
    exited(terminated.getRef());
    sources.retireUnless(p -> rollout.mayBecomeCurrent(p) || pool.hasAnyOfPhase(p));
    if (supervision.mustStop()) {
      return Optional.empty(); // the server stops: a replacement would boot the application only to be stopped
    }
    if (delay.isEmpty()) {
      respawn();
    }
    return delay;
  }

  /** Forgets a worker that has stopped, and returns how many are left. */
  int exited(ActorRef<?> worker) {
    pool.find(worker).ifPresent(h -> hooks.call("workerExited", hk -> hk.workerExited(info(h))));
    pool = pool.without(worker);
    return pool.size();
  }

  /** Tops the pool up; a rollback's successor may have been the boot that failed, so it is tried again. */
  void respawn() {
    spawnWorkers();
    rollNext();
  }

  void scaleTo(int newTarget) {
    int old = target();
    if (newTarget == old) {
      return;
    }
    rollout = rollout.withWorkers(newTarget);
    log.info("Scaling from {} to {} workers", old, newTarget);
    hooks.call("workerCountChanged", h -> h.workerCountChanged(old, newTarget));
    cullWorkers(RestartReason.SCALE);
    spawnWorkers();
  }

  void reload(PoolSettings settings) {
    // once per reload, as gunicorn's on_reload, however many pools roll: every server has the
    // default pool, and a reload rolls every pool
    if (poolName.equals(Guardian.DEFAULT)) {
      hooks.call("onReload", ServerHooks::onReload);
    }
    recycling.limits(settings.heap());
    int old = target();
    rollout = rollout.begin(settings);
    int newTarget = target();
    sources.add(rollout.phase(), settings.app());
    counters.reloads++;
    log.info("Reloading: phase {} replaces workers one at a time", rollout.phase());
    if (old != newTarget) {
      hooks.call("workerCountChanged", h -> h.workerCountChanged(old, newTarget));
    }
    cullWorkers(RestartReason.RELOAD);
    spawnWorkers();
    rollNext();
  }

  /**
   * Rolling reload (or the rollback of an aborted one): replace the next worker not of the current
   * phase, once the previous replacement has booted.
   */
  private void rollNext() {
    int phase = rollout.phase();
    pool.nextStale(phase).ifPresent(h -> {
      counters.restarted(h.index(), h.phase(), RestartReason.RELOAD);
      replace(h);
    });
    if (pool.hasStale(phase)) {
      return;
    }
    switch (rollout.stage()) {
      case Rollout.Forward f -> log.info("Reload complete: every worker is in phase {}", phase);
      case Rollout.Back b -> log.info("Rollback complete: every worker is back in phase {}", phase);
      case Rollout.Settled s -> { }
    }
    rollout = rollout.complete();
  }

  /** Hands {@code message} to every worker still serving (not retiring); each delivers it once. */
  void broadcast(Object message) {
    pool.handles().stream().filter(h -> h.role() != Role.RETIRING)
        .forEach(h -> h.ref().tell(new Worker.Deliver(message)));
  }

  /** Recycles, successor first, the workers past their lifetime or named by the policy's own triggers. */
  void checkWorkers() {
    Recycling.due(poolName, pool.handles(), Instant.now(), policy()).forEach(this::recycle);
  }

  /** A GC reading: under sustained pressure the oldest worker is recycled (one at a time). */
  void heapObserved(Arbiter.HeapObserved reading) {
    recycling.heapObserved(reading, pool, rollout.settings().app() instanceof ApplicationSource.Shared)
        .ifPresent(this::recycle);
  }

  /** Recycling: the worker is replaced successor first, and counted with its reason. */
  private void recycle(Recycling.Due due) {
    WorkerHandle h = due.worker();
    log.info("Worker {} {}; booting its successor", h.index(), due.why());
    counters.recycled++;
    counters.restarted(h.index(), h.phase(), due.reason());
    replace(h);
  }

  /** Retires the oldest workers beyond the target (scale-down, or a reload to fewer workers). */
  private void cullWorkers(RestartReason reason) {
    while (pool.activeCount() > target()) {
      retire(pool.oldestActive().orElseThrow(), reason);
    }
  }

  /** Tells a counting worker to finish what it has and stop; it no longer counts toward the target. */
  private void retire(WorkerHandle h, RestartReason reason) {
    counters.restarted(h.index(), h.phase(), reason);
    h.ref().tell(Worker.Retire.INSTANCE);
    pool = pool.withRole(h.ref(), Role.RETIRING);
  }

  /** The successor boots first; the predecessor keeps serving until then (see {@link #booted}). */
  private void replace(WorkerHandle predecessor) {
    pool = pool.withRole(predecessor.ref(), Role.REPLACING);
    spawn(predecessor.index(), predecessor.ref());
  }

  void spawnWorkers() {
    for (WorkerHandle h : pool.awaitingSuccessor()) {
      spawn(h.index(), h.ref()); // its successor failed to boot or died booting: try again
    }
    for (int index : pool.slotsToFill(target())) {
      spawn(index, null);
    }
  }

  /** Starts a worker of the current phase in slot {@code index}, replacing {@code predecessor} if not null. */
  private void spawn(int index, ActorRef<Worker.Command> predecessor) {
    PoolSettings settings = rollout.settings();
    int phase = rollout.phase();
    hooks.call("beforeWorkerStart", h -> h.beforeWorkerStart(new WorkerInfo(index, phase, 0, poolName)));
    WorkerMeter meter = new WorkerMeter(settings.recycle().drawLifetime());
    WorkerSpec spec = new WorkerSpec(poolName, settings.workerClass(), settings.capacity(), index, phase,
        settings.recycle().drawLimit(), settings.app(), queue, settings.timeout(), settings.bootTimeout(), userHooks,
        settings.extension(), settings.policy());
    ActorRef<Worker.Command> ref = ctx.spawn(Worker.create(spec, meter, ctx.getSelf()),
        "worker-" + index + "-" + (++counters.spawned));
    ctx.watch(ref);
    pool = pool.with(new WorkerHandle(index, ref, meter, phase, false, Role.ACTIVE, predecessor, false));
  }

  private WorkerInfo info(WorkerHandle h) {
    return h.info(poolName);
  }
}
