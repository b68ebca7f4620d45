package dev.narwhal.supervisor;

import dev.narwhal.WorkerInfo;
import dev.narwhal.supervisor.internal.RequestRunner;
import dev.narwhal.supervisor.internal.Responses;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A worker: runs the application for one request at a time on its own thread (gunicorn's
 * {@code sync} worker), and takes its next request from the {@link WorkQueue} itself as soon as
 * it is free (pull dispatch).
 *
 * <p>Spawned and watched by the {@link Arbiter}. States: {@code booting} (the application starts,
 * bounded by {@code boot-timeout}), {@code idle} (parked in the queue), {@code busy} (a request
 * runs, bounded by {@code timeout}), {@code draining} (retiring once the request in hand is
 * answered). A request that overruns its timeout is answered 504, its thread is interrupted and
 * abandoned, and the worker stops so the arbiter replaces it at once.
 */
public final class Worker {

  public sealed interface Command
      permits Handle, Retire, Booted, BootFailed, BootTimedOut, RequestFinished, RequestCrashed, RequestTimedOut {}

  /** Run this request; sent by the {@link WorkQueue} to a parked worker. */
  public record Handle(Job job) implements Command {}

  /** Finish the request in hand, take no new one, then stop. */
  public enum Retire implements Command { INSTANCE }

  private enum Booted implements Command { INSTANCE }

  private record BootFailed(Throwable cause) implements Command {}

  private enum BootTimedOut implements Command { INSTANCE }

  private enum RequestFinished implements Command { INSTANCE }

  private record RequestCrashed(Error cause) implements Command {}

  private record RequestTimedOut(Job job) implements Command {}

  /** Thrown to fail the actor when the handler raised an {@link Error}: the arbiter replaces it. */
  static final class WorkerCrashed extends RuntimeException {
    WorkerCrashed(Error cause) {
      super("worker crashed: " + cause, cause);
    }
  }

  private static final Object REQUEST_TIMER = "request-timeout";

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final WorkerSpec spec;
  private final WorkerMeter meter;
  private final ActorRef<Arbiter.Command> arbiter;
  private final RequestRunner runner;
  private boolean announcedLimit;

  private Worker(ActorContext<Command> ctx, TimerScheduler<Command> timers, WorkerSpec spec, WorkerMeter meter,
      ActorRef<Arbiter.Command> arbiter) {
    this.ctx = ctx;
    this.timers = timers;
    this.spec = spec;
    this.meter = meter;
    this.arbiter = arbiter;
    this.runner = new RequestRunner("narwhal-worker-" + spec.index() + "-phase-" + spec.phase(), spec.app(),
        spec.hooks(), this::info);
  }

  public static Behavior<Command> create(WorkerSpec spec, WorkerMeter meter, ActorRef<Arbiter.Command> arbiter) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Worker(ctx, timers, spec, meter, arbiter).boot()));
  }

  WorkerInfo info() {
    return new WorkerInfo(spec.index(), spec.phase(), meter.served());
  }

  private Behavior<Command> boot() {
    ActorRef<Command> self = ctx.getSelf();
    timers.startSingleTimer(BootTimedOut.INSTANCE, spec.bootTimeout());
    runner.boot(() -> self.tell(Booted.INSTANCE), cause -> self.tell(new BootFailed(cause)));
    return booting();
  }

  private Behavior<Command> booting() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case Booted b -> onBooted();
          case BootFailed f -> onBootFailed(f.cause());
          case BootTimedOut t -> onBootTimedOut();
          case Retire r -> Behaviors.stopped();
          case Handle h -> bounce(h);
          case RequestFinished f -> Behaviors.unhandled();
          case RequestCrashed c -> Behaviors.unhandled();
          case RequestTimedOut t -> Behaviors.unhandled();
        })
        .onSignal(PostStop.class, s -> onPostStop(null))
        .build();
  }

  private Behavior<Command> idle() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case Handle h -> start(h.job());
          case Retire r -> Behaviors.stopped();
          case Booted b -> Behaviors.unhandled();
          case BootFailed f -> Behaviors.unhandled();
          case BootTimedOut t -> Behaviors.same();
          case RequestFinished f -> Behaviors.unhandled();
          case RequestCrashed c -> Behaviors.unhandled();
          case RequestTimedOut t -> Behaviors.same();
        })
        .onSignal(PostStop.class, s -> onPostStop(null))
        .build();
  }

  private Behavior<Command> busy(Job job) {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case RequestFinished f -> onRequestFinished();
          case RequestCrashed c -> throw new WorkerCrashed(c.cause());
          case RequestTimedOut t -> onRequestTimedOut(t.job());
          case Retire r -> draining(job);
          case Handle h -> bounce(h);
          case Booted b -> Behaviors.unhandled();
          case BootFailed f -> Behaviors.unhandled();
          case BootTimedOut t -> Behaviors.same();
        })
        .onSignal(PostStop.class, s -> onPostStop(job))
        .build();
  }

  private Behavior<Command> draining(Job job) {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case RequestFinished f -> {
            finish();
            yield Behaviors.stopped();
          }
          case RequestCrashed c -> throw new WorkerCrashed(c.cause());
          case RequestTimedOut t -> onRequestTimedOut(t.job());
          case Handle h -> bounce(h);
          case Retire r -> Behaviors.same();
          case Booted b -> Behaviors.unhandled();
          case BootFailed f -> Behaviors.unhandled();
          case BootTimedOut t -> Behaviors.same();
        })
        .onSignal(PostStop.class, s -> onPostStop(job))
        .build();
  }

  private Behavior<Command> onBooted() {
    timers.cancel(BootTimedOut.INSTANCE);
    ctx.getLog().info("Booted worker {} (phase {})", spec.index(), spec.phase());
    arbiter.tell(new Arbiter.WorkerBooted(spec.index(), ctx.getSelf()));
    return takeNext();
  }

  private Behavior<Command> onBootFailed(Throwable cause) {
    arbiter.tell(new Arbiter.WorkerBootFailed(spec.index(), ctx.getSelf(), cause));
    return Behaviors.stopped();
  }

  /** The application's start overran boot-timeout: give up on it (its thread is abandoned). */
  private Behavior<Command> onBootTimedOut() {
    runner.abandon();
    return onBootFailed(new TimeoutException("the application did not start within "
        + spec.bootTimeout().toMillis() + " ms (boot-timeout)"));
  }

  private Behavior<Command> onRequestFinished() {
    finish();
    if (!announcedLimit && RecyclePolicy.reached(meter.served(), spec.requestLimit())) {
      // keep serving until the replacement has booted: recycling must not dip capacity
      announcedLimit = true;
      arbiter.tell(new Arbiter.WorkerReachedMaxRequests(ctx.getSelf()));
    }
    return takeNext();
  }

  private void finish() {
    timers.cancel(REQUEST_TIMER);
    meter.finished();
  }

  /**
   * The request overran {@code timeout}: answer 504 now, report where its thread is stuck, interrupt
   * and abandon the thread, and stop, so the arbiter replaces this worker at once.
   */
  private Behavior<Command> onRequestTimedOut(Job job) {
    if (!job.complete(Responses.timedOut())) {
      return Behaviors.same(); // it finished just in time; RequestFinished is on its way
    }
    long ageMs = Duration.ofNanos(System.nanoTime() - meter.currentStartNanos()).toMillis();
    arbiter.tell(new Arbiter.WorkerTimedOut(ctx.getSelf(), spec.index(), job.request(), ageMs, runner.stack(),
        runner.thread()));
    runner.abandon();
    meter.abandoned();
    return Behaviors.stopped();
  }

  /** Pull dispatch: run the next waiting request at once, or park until one arrives. */
  private Behavior<Command> takeNext() {
    Job next = spec.queue().nextOrPark(ctx.getSelf());
    return next == null ? idle() : start(next);
  }

  private Behavior<Command> start(Job job) {
    ActorRef<Command> self = ctx.getSelf();
    meter.started(job);
    if (!spec.timeout().isZero()) {
      timers.startSingleTimer(REQUEST_TIMER, new RequestTimedOut(job), spec.timeout());
    }
    runner.run(job, () -> self.tell(RequestFinished.INSTANCE), error -> self.tell(new RequestCrashed(error)));
    return busy(job);
  }

  /** A request reached a worker that cannot take it (a race with retiring): give it back. */
  private Behavior<Command> bounce(Handle handle) {
    spec.queue().resubmit(handle.job());
    return Behaviors.same();
  }

  private Behavior<Command> onPostStop(Job inHand) {
    spec.queue().unpark(ctx.getSelf());
    if (inHand != null && inHand.complete(Responses.unavailable())) {
      ctx.getLog().warn("Worker {} stopped with {} unanswered; answered 503", spec.index(), inHand);
      spec.hooks().call("workerInterrupted", h -> h.workerInterrupted(info()));
    }
    runner.stop();
    return Behaviors.same();
  }
}
