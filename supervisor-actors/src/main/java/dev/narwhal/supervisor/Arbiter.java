package dev.narwhal.supervisor;

import dev.narwhal.Application;
import dev.narwhal.supervisor.WorkerPool.WorkerHandle;
import dev.narwhal.supervisor.internal.Responses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The arbiter (gunicorn's master): keeps {@code workers} workers alive, replaces any that die, and
 * drains the pool on a graceful stop. It is never on the request path: requests go from the front
 * end through the {@link WorkQueue} straight to workers.
 *
 * <p>States: {@code booting} (until the first full pool has booted; {@link AwaitReady} is answered
 * then), {@code serving}, {@code draining} (no respawns; stops once every accepted request is
 * answered, or answered 503 at the deadline).
 */
public final class Arbiter {

  public sealed interface Command
      permits GetStats, AwaitReady, GracefulStop, WorkerBooted, WorkerBootFailed, DeadLetterSeen, SpawnWorkers,
          FrontendClosed, DeadlineReached {}

  /** Asks for a snapshot of the pool. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /** Asks to be told once the first full pool has booted (or could not boot). */
  public record AwaitReady(ActorRef<Readiness> replyTo) implements Command {}

  /**
   * Stop the pool without losing accepted requests: workers keep serving until the front end has
   * answered everything it accepted ({@code frontendClosed} completes), then retire; at
   * {@code within} whatever is still waiting or running is answered 503. A zero {@code within} is a
   * quick stop.
   */
  public record GracefulStop(Duration within, CompletionStage<?> frontendClosed, ActorRef<Drained> replyTo)
      implements Command {}

  /** A worker's application has started; it is taking requests. */
  public record WorkerBooted(int index, ActorRef<Worker.Command> worker) implements Command {}

  /** A worker's application failed to start. */
  public record WorkerBootFailed(int index, Throwable cause) implements Command {}

  private record DeadLetterSeen(DeadLetter letter) implements Command {}

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

  /** Consecutive boot failures after which the arbiter gives up (gunicorn halts on WORKER_BOOT_ERROR). */
  static final int MAX_BOOT_FAILURES = 5;

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Supplier<? extends Application> app;
  private final WorkQueue queue;
  private final int target;
  private final Consumer<String> onFatal;
  private final List<ActorRef<Readiness>> readyWaiters = new ArrayList<>();
  private WorkerPool pool = WorkerPool.empty();
  private long spawned;
  private long crashed;
  private int bootFailuresInARow;

  private Arbiter(ActorContext<Command> ctx, TimerScheduler<Command> timers, int workers,
      Supplier<? extends Application> app, WorkQueue queue, Consumer<String> onFatal) {
    this.ctx = ctx;
    this.timers = timers;
    this.target = workers;
    this.app = app;
    this.queue = queue;
    this.onFatal = onFatal;
  }

  /**
   * @param workers how many workers to keep
   * @param app builds one application instance per worker
   * @param queue the dispatch queue shared with the front end
   * @param onFatal called once if the pool cannot be kept alive (workers keep failing to boot)
   */
  public static Behavior<Command> create(int workers, Supplier<? extends Application> app, WorkQueue queue,
      Consumer<String> onFatal) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Arbiter arbiter = new Arbiter(ctx, timers, workers, app, queue, onFatal);
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(DeadLetter.class,
          ctx.messageAdapter(DeadLetter.class, DeadLetterSeen::new)));
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
            yield pool.isComplete(target) ? becomeServing() : Behaviors.same();
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
            a.replyTo().tell(new Ready(pool.size()));
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

  /** Messages every state handles the same way. */
  private Behavior<Command> onCommon(Command msg) {
    return switch (msg) {
      case GetStats g -> onGetStats(g);
      case WorkerBootFailed f -> onWorkerBootFailed(f);
      case DeadLetterSeen d -> onDeadLetter(d);
      case SpawnWorkers s -> {
        spawnWorkers();
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
    ctx.getLog().info("All {} workers booted", target);
    readyWaiters.forEach(w -> w.tell(new Ready(pool.size())));
    readyWaiters.clear();
    return serving();
  }

  private void onWorkerBooted(WorkerBooted booted) {
    bootFailuresInARow = 0;
    pool = pool.markBooted(booted.index());
  }

  private Behavior<Command> onWorkerBootFailed(WorkerBootFailed failed) {
    bootFailuresInARow++;
    ctx.getLog().error("Worker {} failed to boot ({} in a row): {}", failed.index(), bootFailuresInARow,
        failed.cause().toString(), failed.cause());
    if (bootFailuresInARow >= MAX_BOOT_FAILURES) {
      String reason = "workers failed to boot " + bootFailuresInARow + " times in a row; last error: " + failed.cause();
      readyWaiters.forEach(w -> w.tell(new BootFailure(reason)));
      readyWaiters.clear();
      onFatal.accept(reason);
      return Behaviors.stopped();
    }
    return Behaviors.same();
  }

  /** Gunicorn's reap: forget the worker, then top the pool up (after a backoff if boots are failing). */
  private Behavior<Command> onWorkerTerminated(Terminated terminated) {
    pool.find(terminated.getRef()).ifPresent(h -> {
      if (terminated instanceof ChildFailed failed) {
        crashed++;
        ctx.getLog().error("Worker {} crashed: {}", h.index(), failed.getCause().toString());
      }
    });
    pool = pool.without(terminated.getRef());
    if (bootFailuresInARow == 0) {
      spawnWorkers();
    } else {
      long backoffMs = Math.min(5_000, 100L << Math.min(bootFailuresInARow, 6));
      timers.startSingleTimer(SpawnWorkers.INSTANCE, Duration.ofMillis(backoffMs));
    }
    return Behaviors.same();
  }

  private void spawnWorkers() {
    for (int index : pool.slotsToFill(target)) {
      WorkerMeter meter = new WorkerMeter();
      ActorRef<Worker.Command> ref = ctx.spawn(Worker.create(index, app, queue, meter, ctx.getSelf()),
          "worker-" + index + "-" + (++spawned));
      ctx.watch(ref);
      pool = pool.with(new WorkerHandle(index, ref, meter, false));
    }
  }

  /** A request handed to a worker that stopped before taking it: it was accepted, so it goes back. */
  private Behavior<Command> onDeadLetter(DeadLetterSeen seen) {
    if (seen.letter().message() instanceof Worker.Handle handle && !handle.job().isAnswered()) {
      queue.resubmit(handle.job());
    }
    return Behaviors.same();
  }

  private Behavior<Command> onGetStats(GetStats get) {
    List<Stats.WorkerStatus> workers = pool.handles().stream()
        .map(h -> new Stats.WorkerStatus(h.index(),
            !h.booted() ? "booting" : h.meter().inFlight() > 0 ? "busy" : "idle",
            h.meter().served(), h.meter().inFlight(), h.meter().startedAt()))
        .toList();
    get.replyTo().tell(new Stats(target, queue.waitingCount(), spawned, crashed, workers));
    return Behaviors.same();
  }

  private Behavior<Command> onGracefulStop(GracefulStop stop) {
    ctx.getLog().info("Stopping gracefully: {} waiting, {} in flight, up to {}", queue.waitingCount(),
        pool.inFlight(), stop.within());
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
          case GetStats g -> onGetStats(g);
          case DeadLetterSeen d -> onDeadLetter(d);
          case AwaitReady a -> {
            a.replyTo().tell(new BootFailure("the server is stopping"));
            yield Behaviors.same();
          }
          case WorkerBooted b -> {
            onWorkerBooted(b);
            yield Behaviors.same();
          }
          case GracefulStop g -> Behaviors.same();
          case WorkerBootFailed f -> Behaviors.same();
          case SpawnWorkers s -> Behaviors.same();
        })
        .onSignal(Terminated.class, t -> {
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
    return Behaviors.stopped();
  }
}
