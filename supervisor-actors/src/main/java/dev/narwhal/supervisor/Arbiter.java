package dev.narwhal.supervisor;

import dev.narwhal.Request;
import dev.narwhal.ServerHooks;
import dev.narwhal.WorkerInfo;
import dev.narwhal.supervisor.Stats.RestartReason;
import dev.narwhal.supervisor.WorkerPool.Role;
import dev.narwhal.supervisor.WorkerPool.WorkerHandle;
import dev.narwhal.supervisor.internal.HookInvoker;
import dev.narwhal.supervisor.internal.Responses;
import dev.narwhal.supervisor.internal.TimeoutReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The arbiter (gunicorn's master): keeps the target number of workers alive, replaces those that
 * die, time out or reach max-requests (the successor boots before the predecessor retires), rolls
 * reloads one worker at a time, scales on request, and drains the pool on a graceful stop. It is
 * never on the request path: requests go from the front end through the {@link WorkQueue}
 * straight to workers.
 *
 * <p>States: {@code booting} (until the first full pool has booted; {@link AwaitReady} is answered
 * then), {@code serving}, {@code draining} (no respawns; stops once every accepted request is
 * answered, or answered 503 at the deadline).
 */
public final class Arbiter {

  public sealed interface Command permits GetStats, AwaitReady, GracefulStop, ScaleUp, ScaleDown, Reload,
      WorkerBooted, WorkerBootFailed, WorkerWornOut, WorkerTimedOut, SpawnWorkers,
      FrontendClosed, DeadlineReached {}

  /** Asks for a snapshot of the pool. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /** Asks to be told once the first full pool has booted (or could not boot). */
  public record AwaitReady(ActorRef<Readiness> replyTo) implements Command {}

  /**
   * Stop the pool without losing accepted requests: workers keep serving until the front end has
   * answered everything it accepted ({@code frontendClosed} completes), then retire; at
   * {@code within} whatever is still waiting or running is answered 503. A zero {@code within} is a
   * quick stop, and escalates a graceful stop already under way.
   */
  public record GracefulStop(Duration within, CompletionStage<?> frontendClosed, ActorRef<Drained> replyTo)
      implements Command {}

  /** One more worker (SIGTTIN). */
  public enum ScaleUp implements Command { INSTANCE }

  /** One fewer worker, never below one; the oldest retires gracefully (SIGTTOU). */
  public enum ScaleDown implements Command { INSTANCE }

  /** Start a new phase with these settings, replacing workers one at a time (SIGHUP). */
  public record Reload(PoolSettings settings) implements Command {}

  /** A worker's application has started; it is taking requests. */
  public record WorkerBooted(int index, ActorRef<Worker.Command> worker) implements Command {}

  /**
   * A worker's application failed to start (or overran boot-timeout; then {@code abandoned} is the
   * boot thread left behind, counted like a timed-out request's until it returns, else null).
   */
  public record WorkerBootFailed(int index, ActorRef<Worker.Command> worker, Throwable cause, Thread abandoned)
      implements Command {
    public WorkerBootFailed(int index, ActorRef<Worker.Command> worker, Throwable cause) {
      this(index, worker, cause, null);
    }
  }

  /** Why a worker wants a successor. */
  public enum WornOut {
    /** It served its request limit (recycling). */
    MAX_REQUESTS,
    /** One of its threads is stuck in a timed-out request: capacity is short until it is replaced. */
    STUCK_THREAD
  }

  /** A worker wants a successor; it keeps serving until the successor has booted. */
  public record WorkerWornOut(ActorRef<Worker.Command> worker, WornOut reason) implements Command {}

  /** A worker's request overran the timeout; it answered 504 and is stopping. */
  public record WorkerTimedOut(ActorRef<Worker.Command> worker, int index, Request request, long ageMs,
      StackTraceElement[] stack, Thread thread) implements Command {}

  private enum SpawnWorkers implements Command { INSTANCE }

  private enum FrontendClosed implements Command { INSTANCE }

  private enum DeadlineReached implements Command { INSTANCE }

  /** Reply to {@link AwaitReady}. */
  public sealed interface Readiness {}

  /** Every worker has booted. */
  public record Ready(int workers) implements Readiness {}

  /** Workers keep failing to boot; the server cannot serve. */
  public record BootFailure(String reason) implements Readiness {}

  /** Reply to {@link GracefulStop}: how many accepted requests had to be answered 503 at the deadline. */
  public record Drained(int cutShort) {}

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final WorkQueue queue;
  private final ServerHooks userHooks;
  private final HookInvoker hooks;
  private final Consumer<String> onFatal;
  private final List<ActorRef<Readiness>> readyWaiters = new ArrayList<>();
  private final Counters counters = new Counters();
  private final PhaseSources sources = new PhaseSources();
  private Rollout rollout;
  private WorkerPool pool = WorkerPool.empty();
  private BootBackoff backoff = BootBackoff.NONE;

  private Arbiter(ActorContext<Command> ctx, TimerScheduler<Command> timers, PoolSettings settings, WorkQueue queue,
      ServerHooks userHooks, Consumer<String> onFatal) {
    this.ctx = ctx;
    this.timers = timers;
    this.rollout = Rollout.first(settings);
    sources.add(rollout.phase(), settings.app());
    this.queue = queue;
    this.userHooks = userHooks;
    this.hooks = new HookInvoker(userHooks);
    this.onFatal = onFatal;
  }

  /**
   * @param settings the pool's workers, application, recycling and timeouts
   * @param queue the dispatch queue shared with the front end
   * @param hooks the user's server hooks; one that throws is logged, never fatal
   * @param onFatal called once if the pool cannot be kept alive (workers keep failing to boot)
   */
  public static Behavior<Command> create(PoolSettings settings, WorkQueue queue, ServerHooks hooks,
      Consumer<String> onFatal) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Arbiter arbiter = new Arbiter(ctx, timers, settings, queue, hooks, onFatal);
      arbiter.spawnWorkers();
      return arbiter.booting();
    }));
  }

  private Behavior<Command> booting() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case AwaitReady a -> {
            readyWaiters.add(a.replyTo());
            yield Behaviors.same();
          }
          case WorkerBooted b -> {
            onWorkerBooted(b);
            yield pool.isComplete(rollout.settings().workers()) ? becomeServing() : Behaviors.same();
          }
          default -> onCommon(msg);
        })
        .onSignal(Terminated.class, this::onWorkerTerminated)
        .build();
  }

  private Behavior<Command> serving() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case AwaitReady a -> {
            a.replyTo().tell(new Ready((int) pool.activeCount()));
            yield Behaviors.same();
          }
          case WorkerBooted b -> {
            onWorkerBooted(b);
            yield Behaviors.same();
          }
          default -> onCommon(msg);
        })
        .onSignal(Terminated.class, this::onWorkerTerminated)
        .build();
  }

  /** Messages booting and serving handle the same way. */
  private Behavior<Command> onCommon(Command msg) {
    return switch (msg) {
      case GetStats g -> onGetStats(g);
      case WorkerBootFailed f -> onWorkerBootFailed(f);
      case WorkerWornOut w -> onWorkerWornOut(w);
      case WorkerTimedOut t -> onWorkerTimedOut(t);
      case ScaleUp s -> onScale(rollout.settings().workers() + 1);
      case ScaleDown s -> onScale(Math.max(1, rollout.settings().workers() - 1));
      case Reload r -> onReload(r);
      case SpawnWorkers s -> {
        spawnWorkers();
        rollNext(); // a rollback's successor may have been the boot that failed: try it again
        yield Behaviors.same();
      }
      case GracefulStop g -> onGracefulStop(g);
      case AwaitReady a -> Behaviors.unhandled();
      case WorkerBooted b -> Behaviors.unhandled();
      case FrontendClosed c -> Behaviors.unhandled();
      case DeadlineReached d -> Behaviors.unhandled();
    };
  }

  private Behavior<Command> becomeServing() {
    ctx.getLog().info("All {} workers booted", rollout.settings().workers());
    readyWaiters.forEach(w -> w.tell(new Ready((int) pool.activeCount())));
    readyWaiters.clear();
    return serving();
  }

  /** A worker is up. If it is a successor, its predecessor now retires; a reload moves on. */
  private void onWorkerBooted(WorkerBooted booted) {
    backoff = BootBackoff.NONE;
    ActorRef<Worker.Command> predecessor = pool.find(booted.worker()).map(WorkerHandle::predecessor).orElse(null);
    pool = pool.markBooted(booted.worker()).withoutPredecessor(booted.worker());
    if (predecessor != null) {
      predecessor.tell(Worker.Retire.INSTANCE);
      pool = pool.withRole(predecessor, Role.RETIRING);
    }
    rollNext();
  }

  private Behavior<Command> onWorkerBootFailed(WorkerBootFailed failed) {
    ctx.getLog().error("Worker {} failed to boot: {}", failed.index(), failed.cause().toString(), failed.cause());
    counters.abandon(failed.abandoned());
    Optional<WorkerHandle> handle = pool.find(failed.worker());
    // a predecessor keeps serving (and asks again at its next request) whatever comes next
    handle.map(WorkerHandle::predecessor).ifPresent(p -> pool = pool.withRole(p, Role.ACTIVE));
    pool = pool.withoutPredecessor(failed.worker());
    if (handle.map(WorkerHandle::phase).orElse(rollout.phase()) != rollout.phase()) {
      return Behaviors.same(); // a worker of a reload already aborted, whose boot failed before its Retire reached it
    }
    if (rollout.reloading()) {
      // a new-phase worker that cannot boot, a successor or one of the slots a reload added, means a
      // broken deploy; counted as boot failures instead, enough added slots would stop the server
      abortReload(failed.worker());
      return Behaviors.same();
    }
    backoff = backoff.failed();
    if (backoff.exhausted()) {
      String reason = "workers failed to boot " + backoff.inARow() + " times in a row; last error: " + failed.cause();
      // recorded before it is announced: whoever hears of the failure finds the reason already set
      onFatal.accept(reason);
      readyWaiters.forEach(w -> w.tell(new BootFailure(reason)));
      readyWaiters.clear();
      return Behaviors.stopped();
    }
    return Behaviors.same();
  }

  /**
   * A broken deploy must not take the pool down: the previous phase and worker count are current
   * again. Slots the reload added are retired, its own workers first; slots it removed are filled
   * again; its workers that did boot run the settings that failed, so they are rolled back the way a
   * reload rolls forward, successor first, one at a time.
   */
  private void abortReload(ActorRef<Worker.Command> failed) {
    int aborted = rollout.phase();
    int abortedTarget = rollout.settings().workers();
    rollout = rollout.abort();
    int target = rollout.settings().workers();
    ctx.getLog().error("Reload aborted: a phase {} worker failed to boot; phase {} workers keep serving",
        aborted, rollout.phase());
    if (abortedTarget != target) {
      hooks.call("workerCountChanged", h -> h.workerCountChanged(abortedTarget, target));
    }
    // the failed worker stops by itself; its slot is filled once it has
    pool.without(failed).surplus(target, aborted).forEach(h -> retire(h, RestartReason.RELOAD));
    spawnWorkers();
    long leftOver = pool.without(failed).countInPhase(aborted);
    if (leftOver > 0) {
      ctx.getLog().warn("Rolling back the phase {} workers that booted ({}) to phase {}, one at a time",
          aborted, leftOver, rollout.phase());
    } else {
      rollout = rollout.complete();
    }
    rollNext();
  }

  private Behavior<Command> onWorkerWornOut(WorkerWornOut wornOut) {
    pool.find(wornOut.worker()).filter(WorkerHandle::counts).ifPresent(h -> {
      if (wornOut.reason() == WornOut.MAX_REQUESTS) {
        ctx.getLog().info("Worker {} reached max-requests ({} served); booting its successor", h.index(),
            h.meter().served());
        counters.recycled++;
        counters.restarted(h.index(), h.phase(), RestartReason.MAX_REQUESTS);
      } else {
        ctx.getLog().warn("Worker {} has a stuck thread; booting its successor", h.index());
      }
      replace(h);
    });
    return Behaviors.same();
  }

  private Behavior<Command> onWorkerTimedOut(WorkerTimedOut t) {
    counters.timedOut++;
    // a sync worker stops now; one with more threads asks for a successor (WornOut.STUCK_THREAD):
    // either way one restart for timeout, unless it was already on its way out for another reason
    pool.find(t.worker()).filter(h -> h.counts() && !h.timeoutCounted()).ifPresent(h -> {
      counters.restarted(h.index(), h.phase(), RestartReason.TIMEOUT);
      pool = pool.withTimeoutCounted(h.ref());
    });
    counters.abandon(t.thread());
    ctx.getLog().error(TimeoutReport.format(t.index(), t.request(), t.ageMs(), t.thread(), t.stack()));
    WorkerInfo info = pool.find(t.worker()).map(this::info).orElse(new WorkerInfo(t.index(), rollout.phase(), 0));
    hooks.call("workerTimedOut", h -> h.workerTimedOut(info, t.request(), t.stack()));
    return Behaviors.same();
  }

  /** Gunicorn's reap: forget the worker, then top the pool up (after a backoff if boots are failing). */
  private Behavior<Command> onWorkerTerminated(Terminated terminated) {
    pool.find(terminated.getRef()).ifPresent(h -> {
      if (terminated instanceof ChildFailed failed) {
        counters.crashed++;
        counters.restarted(h.index(), h.phase(), RestartReason.CRASH);
        ctx.getLog().error("Worker {} crashed: {}", h.index(), failed.getCause().toString());
      }
      hooks.call("workerExited", hk -> hk.workerExited(info(h)));
    });
    pool = pool.without(terminated.getRef());
    sources.retireUnless(p -> rollout.mayBecomeCurrent(p) || pool.hasAnyOfPhase(p));
    backoff.delay().ifPresentOrElse(delay -> timers.startSingleTimer(SpawnWorkers.INSTANCE, delay), () -> {
      spawnWorkers();
      rollNext();
    });
    return Behaviors.same();
  }

  private Behavior<Command> onScale(int newTarget) {
    int old = rollout.settings().workers();
    if (newTarget == old) {
      return Behaviors.same();
    }
    rollout = rollout.withWorkers(newTarget);
    ctx.getLog().info("Scaling from {} to {} workers", old, newTarget);
    hooks.call("workerCountChanged", h -> h.workerCountChanged(old, newTarget));
    cullWorkers(RestartReason.SCALE);
    spawnWorkers();
    return Behaviors.same();
  }

  private Behavior<Command> onReload(Reload reload) {
    hooks.call("onReload", h -> h.onReload());
    int old = rollout.settings().workers();
    rollout = rollout.begin(reload.settings());
    int target = rollout.settings().workers();
    sources.add(rollout.phase(), rollout.settings().app());
    counters.reloads++;
    ctx.getLog().info("Reloading: phase {} replaces workers one at a time", rollout.phase());
    if (old != target) {
      hooks.call("workerCountChanged", h -> h.workerCountChanged(old, target));
    }
    cullWorkers(RestartReason.RELOAD);
    spawnWorkers();
    rollNext();
    return Behaviors.same();
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
      case Rollout.Forward f -> ctx.getLog().info("Reload complete: every worker is in phase {}", phase);
      case Rollout.Back b -> ctx.getLog().info("Rollback complete: every worker is back in phase {}", phase);
      case Rollout.Settled s -> { }
    }
    rollout = rollout.complete();
  }

  /** Retires the oldest workers beyond the target (scale-down, or a reload to fewer workers). */
  private void cullWorkers(RestartReason reason) {
    while (pool.activeCount() > rollout.settings().workers()) {
      retire(pool.oldestActive().orElseThrow(), reason);
    }
  }

  /** Tells a counting worker to finish what it has and stop; it no longer counts toward the target. */
  private void retire(WorkerHandle h, RestartReason reason) {
    counters.restarted(h.index(), h.phase(), reason);
    h.ref().tell(Worker.Retire.INSTANCE);
    pool = pool.withRole(h.ref(), Role.RETIRING);
  }

  /** The successor boots first; the predecessor keeps serving until then (see {@link #onWorkerBooted}). */
  private void replace(WorkerHandle predecessor) {
    pool = pool.withRole(predecessor.ref(), Role.REPLACING);
    spawn(predecessor.index(), predecessor.ref());
  }

  private void spawnWorkers() {
    for (WorkerHandle h : pool.awaitingSuccessor()) {
      spawn(h.index(), h.ref()); // its successor failed to boot or died booting: try again
    }
    for (int index : pool.slotsToFill(rollout.settings().workers())) {
      spawn(index, null);
    }
  }

  /** Starts a worker of the current phase in slot {@code index}, replacing {@code predecessor} if not null. */
  private void spawn(int index, ActorRef<Worker.Command> predecessor) {
    PoolSettings settings = rollout.settings();
    int phase = rollout.phase();
    hooks.call("beforeWorkerStart", h -> h.beforeWorkerStart(new WorkerInfo(index, phase, 0)));
    WorkerMeter meter = new WorkerMeter();
    WorkerSpec spec = new WorkerSpec(settings.workerClass(), settings.capacity(), index, phase,
        settings.recycle().drawLimit(), settings.app(), queue, settings.timeout(), settings.bootTimeout(), userHooks,
        settings.extension());
    ActorRef<Worker.Command> ref = ctx.spawn(Worker.create(spec, meter, ctx.getSelf()),
        "worker-" + index + "-" + (++counters.spawned));
    ctx.watch(ref);
    pool = pool.with(new WorkerHandle(index, ref, meter, phase, false, Role.ACTIVE, predecessor, false));
  }

  private WorkerInfo info(WorkerHandle h) {
    return new WorkerInfo(h.index(), h.phase(), h.meter().served());
  }

  private Behavior<Command> onGetStats(GetStats get) {
    get.replyTo().tell(counters.snapshot(rollout.settings().workers(), rollout.phase(), queue.waitingCount(), pool));
    return Behaviors.same();
  }

  private Behavior<Command> onGracefulStop(GracefulStop stop) {
    ctx.getLog().info("Stopping gracefully: {} waiting, {} in flight, up to {} ms", queue.waitingCount(),
        pool.inFlight(), stop.within().toMillis());
    timers.cancel(SpawnWorkers.INSTANCE);
    timers.startSingleTimer(DeadlineReached.INSTANCE, stop.within());
    ctx.pipeToSelf(stop.frontendClosed(), (ok, error) -> FrontendClosed.INSTANCE);
    return draining(stop.replyTo(), 0);
  }

  /**
   * No respawns. Once the front end has answered everything it accepted, workers retire (each
   * finishing the request in hand); at the deadline whatever is left is answered 503 and the
   * workers are stopped. Replies when the last worker is gone.
   */
  private Behavior<Command> draining(ActorRef<Drained> replyTo, int cutShort) {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case FrontendClosed c -> onFrontendClosed(replyTo);
          case DeadlineReached d -> onDeadlineReached(replyTo);
          case GracefulStop g -> g.within().isZero() ? onDeadlineReached(replyTo) : Behaviors.same();
          case GetStats g -> onGetStats(g);
          case WorkerTimedOut t -> onWorkerTimedOut(t);
          case AwaitReady a -> {
            a.replyTo().tell(new BootFailure("the server is stopping"));
            yield Behaviors.same();
          }
          case WorkerBooted b -> Behaviors.same();
          case WorkerBootFailed f -> Behaviors.same();
          case WorkerWornOut w -> Behaviors.same();
          case ScaleUp s -> Behaviors.same();
          case ScaleDown s -> Behaviors.same();
          case Reload r -> Behaviors.same();
          case SpawnWorkers s -> Behaviors.same();
        })
        .onSignal(Terminated.class, t -> {
          pool.find(t.getRef()).ifPresent(h -> hooks.call("workerExited", hk -> hk.workerExited(info(h))));
          pool = pool.without(t.getRef());
          return pool.size() == 0 ? finishDrain(replyTo, cutShort) : Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onFrontendClosed(ActorRef<Drained> replyTo) {
    queue.close();
    pool.handles().forEach(h -> h.ref().tell(Worker.Retire.INSTANCE));
    return pool.size() == 0 ? finishDrain(replyTo, 0) : Behaviors.same();
  }

  private Behavior<Command> onDeadlineReached(ActorRef<Drained> replyTo) {
    queue.close();
    List<Job> left = queue.drainWaiting();
    left.forEach(job -> job.complete(Responses.unavailable()));
    int cutShort = left.size() + pool.inFlight();
    if (cutShort > 0) {
      ctx.getLog().warn("Graceful timeout reached: answering {} unfinished requests with 503", cutShort);
    }
    pool.handles().forEach(h -> ctx.stop(h.ref()));
    return pool.size() == 0 ? finishDrain(replyTo, cutShort) : draining(replyTo, cutShort);
  }

  private Behavior<Command> finishDrain(ActorRef<Drained> replyTo, int cutShort) {
    timers.cancel(DeadlineReached.INSTANCE);
    replyTo.tell(new Drained(cutShort));
    return drained();
  }

  /**
   * Every worker is gone; the arbiter stays until its owner terminates the actor system. Stopping
   * here would take the system (whose guardian it is) down at once, and with it the sockets of
   * answers the front end is still writing: the clients would get a reset instead of their 503.
   */
  private Behavior<Command> drained() {
    return Behaviors.receive(Command.class)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(GracefulStop.class, stop -> {
          stop.replyTo().tell(new Drained(0));
          return Behaviors.same();
        })
        .onMessage(AwaitReady.class, await -> {
          await.replyTo().tell(new BootFailure("the server has stopped"));
          return Behaviors.same();
        })
        .onAnyMessage(ignored -> Behaviors.same())
        .build();
  }
}
