package dev.narwhal.supervisor;

import dev.narwhal.Request;
import dev.narwhal.Responses;
import dev.narwhal.ServerHooks;
import dev.narwhal.spi.SupervisionPolicy.StopServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
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
 * then; a decision to stop the server stops the pool at once), {@code serving} (such a decision
 * makes it {@code condemned}: it waits for the server's graceful stop), {@code draining} (no
 * respawns; stops once every accepted request is answered, or answered 503 at the deadline). This
 * class is the protocol and the behaviours: what each message does to the pool is
 * {@link PoolKeeper}'s.
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
    this.keeper = new PoolKeeper(ctx, pool == null ? Guardian.DEFAULT : pool, settings, queue, hooks);
  }

  /**
   * @param settings the pool's workers, application, recycling and timeouts
   * @param queue the dispatch queue shared with the front end
   * @param hooks the user's server hooks; one that throws is logged, never fatal
   * @param onFatal called with the reason and the exit status if the server must stop (workers
   *     keep failing to boot, or the supervision policy says so): while booting the pool then stops
   *     at once; once serving, it waits for the graceful stop that {@code onFatal}'s owner starts
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
          case AwaitReady a -> same(() -> readyWaiters.add(a.replyTo()), this::stopAtOnce);
          case WorkerBooted b -> {
            keeper.booted(b.worker());
            yield keeper.pool().isComplete(keeper.target()) ? becomeServing() : Behaviors.same();
          }
          default -> onCommon(msg, this::stopAtOnce);
        })
        .onSignal(Terminated.class, t -> onWorkerTerminated(t, this::stopAtOnce))
        .build();
  }

  private Behavior<Command> serving() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case AwaitReady a -> same(() -> a.replyTo().tell(new Ready((int) keeper.pool().activeCount())),
              this::condemn);
          case WorkerBooted b -> same(() -> keeper.booted(b.worker()), this::condemn);
          default -> onCommon(msg, this::condemn);
        })
        .onSignal(Terminated.class, t -> onWorkerTerminated(t, this::condemn))
        .build();
  }

  /** Messages booting and serving handle the same way; what a decision to stop the server means is {@code ifFatal}. */
  private Behavior<Command> onCommon(Command msg, Function<StopServer, Behavior<Command>> ifFatal) {
    return switch (msg) {
      case GetStats g -> same(() -> g.replyTo().tell(keeper.stats()), ifFatal);
      case WorkerBootFailed f -> same(() -> keeper.bootFailed(f), ifFatal);
      case WorkerWornOut w -> same(() -> keeper.wornOut(w.worker(), w.reason()), ifFatal);
      case WorkerTimedOut t -> same(() -> keeper.timedOut(t), ifFatal);
      case ScaleUp s -> same(() -> keeper.scaleTo(keeper.target() + 1), ifFatal);
      case ScaleDown s -> same(() -> keeper.scaleTo(Math.max(1, keeper.target() - 1)), ifFatal);
      case Reload r -> same(() -> keeper.reload(r.settings()), ifFatal);
      case Broadcast b -> same(() -> keeper.broadcast(b.message()), ifFatal);
      case HeapObserved h -> same(() -> keeper.heapObserved(h), ifFatal);
      case CheckWorkers c -> same(keeper::checkWorkers, ifFatal);
      case SpawnWorkers s -> same(keeper::respawn, ifFatal);
      case GracefulStop g -> onGracefulStop(g);
      // AwaitReady and WorkerBooted are each state's own; FrontendClosed and DeadlineReached, draining's
      default -> Behaviors.unhandled();
    };
  }

  /**
   * For a message that changes the pool, not the behaviour: unless the keeper decided the server
   * must stop, which {@code ifFatal} (the state's own) turns into the next behaviour.
   */
  private Behavior<Command> same(Runnable change, Function<StopServer, Behavior<Command>> ifFatal) {
    change.run();
    return keeper.takeFatal().map(ifFatal).orElse(Behaviors.same());
  }

  private Behavior<Command> becomeServing() {
    ctx.getLog().info("All {} workers booted", keeper.target());
    readyWaiters.forEach(w -> w.tell(new Ready((int) keeper.pool().activeCount())));
    readyWaiters.clear();
    return serving();
  }

  /** The server must stop: {@code onFatal} hears why, and whoever waits for readiness hears it as a boot failure. */
  private void announce(StopServer stop) {
    // recorded before it is announced: whoever hears of the failure finds the reason already set
    onFatal.accept(stop.reason(), stop.exitStatus());
    readyWaiters.forEach(w -> w.tell(new BootFailure(stop.reason())));
    readyWaiters.clear();
  }

  /** While booting there is no server to drain yet: the pool stops at once, and the start fails. */
  private Behavior<Command> stopAtOnce(StopServer stop) {
    announce(stop);
    return Behaviors.stopped();
  }

  /**
   * While serving, the server stops gracefully, as gunicorn's halt does: {@code onFatal}'s owner
   * starts that stop, and the pool waits for it ({@link #condemned}).
   */
  private Behavior<Command> condemn(StopServer stop) {
    announce(stop);
    timers.cancel(SpawnWorkers.INSTANCE);
    return condemned();
  }

  /** Already stopping: the stop goes on, and the decision still sets the exit status. */
  private Behavior<Command> drainOn(StopServer stop) {
    announce(stop);
    return Behaviors.same();
  }

  /**
   * The server must stop and its graceful stop is on its way: the workers finish what they hold,
   * and nothing is booted, recycled, scaled or reloaded. Stopping here instead would take the
   * actor system down at once, and with it the other workers' requests and every answer the front
   * end is still writing, the failed request's 500 among them.
   */
  private Behavior<Command> condemned() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case GracefulStop g -> onGracefulStop(g);
          case GetStats g -> same(() -> g.replyTo().tell(keeper.stats()), this::drainOn);
          case WorkerTimedOut t -> same(() -> keeper.timedOut(t), this::drainOn);
          case AwaitReady a -> same(() -> a.replyTo().tell(new BootFailure("the server is stopping")), this::drainOn);
          default -> Behaviors.same();
        })
        .onSignal(Terminated.class, t -> same(() -> keeper.exited(t.getRef()), this::drainOn))
        .build();
  }

  /** The keeper reaps the worker and tops the pool up, or asks to wait first (boots failing, the policy). */
  private Behavior<Command> onWorkerTerminated(Terminated terminated, Function<StopServer, Behavior<Command>> ifFatal) {
    return same(() -> keeper.reap(terminated).ifPresent(delay -> timers.startSingleTimer(SpawnWorkers.INSTANCE,
        delay)), ifFatal);
  }

  private Behavior<Command> onGracefulStop(GracefulStop stop) {
    timers.cancel(SpawnWorkers.INSTANCE);
    ctx.pipeToSelf(stop.frontendClosed(), (ok, error) -> FrontendClosed.INSTANCE);
    if (stop.within().isZero()) { // SIGINT: what is left is answered 503 now
      ctx.getLog().info("Stopping at once: {} waiting, {} in flight", queue.waitingCount(), keeper.pool().inFlight());
      return onDeadlineReached(stop.replyTo(), "Quick stop");
    }
    ctx.getLog().info("Stopping gracefully: {} waiting, {} in flight, up to {} ms", queue.waitingCount(),
        keeper.pool().inFlight(), stop.within().toMillis());
    timers.startSingleTimer(DeadlineReached.INSTANCE, stop.within());
    return draining(stop.replyTo());
  }

  /**
   * No respawns. Once the front end has answered everything it accepted, workers retire (each
   * finishing the request in hand); at the deadline whatever is left is answered 503 and the
   * workers are stopped. Replies when the last worker is gone.
   */
  private Behavior<Command> draining(ActorRef<Drained> replyTo) {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case FrontendClosed c -> onFrontendClosed(replyTo);
          case DeadlineReached d -> onDeadlineReached(replyTo, "Graceful timeout reached");
          case GracefulStop g -> g.within().isZero() ? onDeadlineReached(replyTo, "Quick stop") : Behaviors.same();
          case GetStats g -> same(() -> g.replyTo().tell(keeper.stats()), this::drainOn);
          case WorkerTimedOut t -> same(() -> keeper.timedOut(t), this::drainOn);
          case AwaitReady a -> same(() -> a.replyTo().tell(new BootFailure("the server is stopping")), this::drainOn);
          // no boots, respawns, recycles, scaling, reloads or broadcasts while the pool drains
          default -> Behaviors.same();
        })
        .onSignal(Terminated.class,
            t -> keeper.exited(t.getRef()) == 0 ? finishDrain(replyTo, 0) : Behaviors.same())
        .build();
  }

  private Behavior<Command> onFrontendClosed(ActorRef<Drained> replyTo) {
    queue.close();
    keeper.pool().handles().forEach(h -> h.ref().tell(Worker.Retire.INSTANCE));
    return keeper.pool().size() == 0 ? finishDrain(replyTo, 0) : Behaviors.same();
  }

  /** {@code why}: the graceful timeout, or a quick stop (SIGINT, also during a graceful one). Once only. */
  private Behavior<Command> onDeadlineReached(ActorRef<Drained> replyTo, String why) {
    timers.cancel(DeadlineReached.INSTANCE); // a quick stop ahead of the deadline: it must not fire again
    queue.close();
    List<Job> left = queue.drainWaiting();
    left.forEach(job -> job.complete(Responses.unavailable()));
    int cutShort = left.size() + keeper.pool().inFlight();
    if (cutShort > 0) {
      ctx.getLog().warn("{}: answering {} unfinished requests with 503", why, cutShort);
    }
    keeper.pool().handles().forEach(h -> ctx.stop(h.ref()));
    return keeper.pool().size() == 0 ? finishDrain(replyTo, cutShort) : cutOff(replyTo, cutShort);
  }

  /**
   * What was left has been answered 503 and the workers told to stop: waits for the last of them.
   * A second quick stop, the deadline or the front end closing have nothing left to do (and must
   * not count the requests cut short again).
   */
  private Behavior<Command> cutOff(ActorRef<Drained> replyTo, int cutShort) {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case GetStats g -> same(() -> g.replyTo().tell(keeper.stats()), this::drainOn);
          case WorkerTimedOut t -> same(() -> keeper.timedOut(t), this::drainOn);
          case AwaitReady a -> same(() -> a.replyTo().tell(new BootFailure("the server is stopping")), this::drainOn);
          default -> Behaviors.same();
        })
        .onSignal(Terminated.class,
            t -> keeper.exited(t.getRef()) == 0 ? finishDrain(replyTo, cutShort) : Behaviors.same())
        .build();
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
        .onMessage(GetStats.class, g -> {
          g.replyTo().tell(keeper.stats());
          return Behaviors.same();
        })
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
