package dev.narwhal.supervisor;

import dev.narwhal.Request;
import dev.narwhal.Responses;
import dev.narwhal.ServerHooks;
import dev.narwhal.spi.SupervisionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The arbiter (gunicorn's master): keeps the target number of workers alive, replaces those that
 * die, time out or wear out (the successor boots before the predecessor retires), rolls reloads one
 * worker at a time, scales, broadcasts, and drains the pool on a graceful stop. Never on the request
 * path: requests go from the front end through the {@link WorkQueue} straight to workers.
 *
 * <p>States: {@code booting} (until the first full pool has booted; {@link AwaitReady} is answered
 * then), {@code serving}, {@code draining} (no respawns; stops once every accepted request is
 * answered, or answered 503 at the deadline). This class is the protocol and the behaviours: what
 * each message does to the pool is {@link PoolKeeper}'s.
 */
public final class Arbiter {

  public sealed interface Command permits GetStats, AwaitReady, GracefulStop, ScaleUp, ScaleDown, Reload,
      Broadcast, HeapObserved, WorkerBooted, WorkerBootFailed, WorkerWornOut, WorkerTimedOut, SpawnWorkers,
      CheckWorkers, FrontendClosed, DeadlineReached, Guardian.Command {}

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

  /** Deliver {@code message} once to every serving worker's extension and application. */
  public record Broadcast(Object message) implements Command {}

  /** A garbage collection left {@code used} of {@code max} bytes in the old generation (see {@link HeapWatch}). */
  public record HeapObserved(long used, long max) implements Command {}

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
  private enum CheckWorkers implements Command { INSTANCE }
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
  private final ObjIntConsumer<String> onFatal;
  private final List<ActorRef<Readiness>> readyWaiters = new ArrayList<>();
  private final PoolKeeper keeper;

  private Arbiter(ActorContext<Command> ctx, TimerScheduler<Command> timers, String pool, PoolSettings settings,
      WorkQueue queue, ServerHooks hooks, ObjIntConsumer<String> onFatal) {
    // else Pekko names the logger after PoolKeeper (first to call getLog()): Arbiter's config would miss it;
    // a named pool's is a child of it (…Arbiter.reports), so its lines say which pool and the config still applies
    ctx.setLoggerName(pool == null ? Arbiter.class.getName() : Arbiter.class.getName() + "." + pool);
    this.ctx = ctx;
    this.timers = timers;
    this.queue = queue;
    this.onFatal = onFatal;
    this.keeper = new PoolKeeper(ctx, settings, queue, hooks);
  }

  /**
   * @param settings the pool's workers, application, recycling and timeouts
   * @param queue the dispatch queue shared with the front end
   * @param hooks the user's server hooks; one that throws is logged, never fatal
   * @param onFatal called once, with the reason and the exit status, if the server must stop
   *     (workers keep failing to boot, or the supervision policy says so)
   */
  public static Behavior<Command> create(PoolSettings settings, WorkQueue queue, ServerHooks hooks,
      ObjIntConsumer<String> onFatal) {
    return create(null, settings, queue, hooks, onFatal);
  }

  /** A named pool's arbiter ({@code pool} null: the default pool's); see {@link Guardian}. */
  static Behavior<Command> create(String pool, PoolSettings settings, WorkQueue queue, ServerHooks hooks,
      ObjIntConsumer<String> onFatal) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Arbiter arbiter = new Arbiter(ctx, timers, pool, settings, queue, hooks, onFatal);
      arbiter.keeper.spawnWorkers();
      timers.startTimerWithFixedDelay(CheckWorkers.INSTANCE, PoolKeeper.CHECK_INTERVAL);
      return arbiter.booting();
    }));
  }

  /** For callers that need no exit status. */
  public static Behavior<Command> create(PoolSettings settings, WorkQueue queue, ServerHooks hooks, Consumer<String> onFatal) {
    return create(settings, queue, hooks, (reason, status) -> onFatal.accept(reason));
  }

  private Behavior<Command> booting() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case AwaitReady a -> same(() -> readyWaiters.add(a.replyTo()));
          case WorkerBooted b -> {
            keeper.booted(b.worker());
            yield keeper.pool().isComplete(keeper.target()) ? becomeServing() : Behaviors.same();
          }
          default -> onCommon(msg);
        })
        .onSignal(Terminated.class, this::onWorkerTerminated)
        .build();
  }

  private Behavior<Command> serving() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case AwaitReady a -> same(() -> a.replyTo().tell(new Ready((int) keeper.pool().activeCount())));
          case WorkerBooted b -> same(() -> keeper.booted(b.worker()));
          default -> onCommon(msg);
        })
        .onSignal(Terminated.class, this::onWorkerTerminated)
        .build();
  }

  /** Messages booting and serving handle the same way. */
  private Behavior<Command> onCommon(Command msg) {
    return switch (msg) {
      case GetStats g -> same(() -> g.replyTo().tell(keeper.stats()));
      case WorkerBootFailed f -> same(() -> keeper.bootFailed(f));
      case WorkerWornOut w -> same(() -> keeper.wornOut(w.worker(), w.reason()));
      case WorkerTimedOut t -> same(() -> keeper.timedOut(t));
      case ScaleUp s -> same(() -> keeper.scaleTo(keeper.target() + 1));
      case ScaleDown s -> same(() -> keeper.scaleTo(Math.max(1, keeper.target() - 1)));
      case Reload r -> same(() -> keeper.reload(r.settings()));
      case Broadcast b -> same(() -> keeper.broadcast(b.message()));
      case HeapObserved h -> same(() -> keeper.heapObserved(h));
      case CheckWorkers c -> same(keeper::checkWorkers);
      case SpawnWorkers s -> same(keeper::respawn);
      case GracefulStop g -> onGracefulStop(g);
      // AwaitReady and WorkerBooted are each state's own; FrontendClosed and DeadlineReached, draining's
      default -> Behaviors.unhandled();
    };
  }

  /** For a message that changes the pool, not the behaviour: unless the keeper decided the server must stop. */
  private Behavior<Command> same(Runnable change) {
    change.run();
    return keeper.fatal().map(this::giveUp).orElse(Behaviors.same());
  }

  private Behavior<Command> becomeServing() {
    ctx.getLog().info("All {} workers booted", keeper.target());
    readyWaiters.forEach(w -> w.tell(new Ready((int) keeper.pool().activeCount())));
    readyWaiters.clear();
    return serving();
  }

  /** The server cannot or must not serve on: it stops at once. */
  private Behavior<Command> giveUp(SupervisionPolicy.StopServer stop) {
    // recorded before it is announced: whoever hears of the failure finds the reason already set
    onFatal.accept(stop.reason(), stop.exitStatus());
    readyWaiters.forEach(w -> w.tell(new BootFailure(stop.reason())));
    readyWaiters.clear();
    return Behaviors.stopped();
  }

  /** The keeper reaps the worker and tops the pool up, or asks to wait first (boots failing, the policy). */
  private Behavior<Command> onWorkerTerminated(Terminated terminated) {
    return same(() -> keeper.reap(terminated).ifPresent(delay -> timers.startSingleTimer(SpawnWorkers.INSTANCE,
        delay)));
  }

  private Behavior<Command> onGracefulStop(GracefulStop stop) {
    ctx.getLog().info("Stopping gracefully: {} waiting, {} in flight, up to {} ms", queue.waitingCount(),
        keeper.pool().inFlight(), stop.within().toMillis());
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
          case GetStats g -> same(() -> g.replyTo().tell(keeper.stats()));
          case WorkerTimedOut t -> same(() -> keeper.timedOut(t));
          case AwaitReady a -> same(() -> a.replyTo().tell(new BootFailure("the server is stopping")));
          // no boots, respawns, recycles, scaling, reloads or broadcasts while the pool drains
          default -> Behaviors.same();
        })
        .onSignal(Terminated.class,
            t -> keeper.exited(t.getRef()) == 0 ? finishDrain(replyTo, cutShort) : Behaviors.same())
        .build();
  }

  private Behavior<Command> onFrontendClosed(ActorRef<Drained> replyTo) {
    queue.close();
    keeper.pool().handles().forEach(h -> h.ref().tell(Worker.Retire.INSTANCE));
    return keeper.pool().size() == 0 ? finishDrain(replyTo, 0) : Behaviors.same();
  }

  private Behavior<Command> onDeadlineReached(ActorRef<Drained> replyTo) {
    queue.close();
    List<Job> left = queue.drainWaiting();
    left.forEach(job -> job.complete(Responses.unavailable()));
    int cutShort = left.size() + keeper.pool().inFlight();
    if (cutShort > 0) {
      ctx.getLog().warn("Graceful timeout reached: answering {} unfinished requests with 503", cutShort);
    }
    keeper.pool().handles().forEach(h -> ctx.stop(h.ref()));
    return keeper.pool().size() == 0 ? finishDrain(replyTo, cutShort) : draining(replyTo, cutShort);
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
        .onMessage(GetStats.class, g -> same(() -> g.replyTo().tell(keeper.stats())))
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
