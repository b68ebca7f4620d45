package dev.narwhal.supervisor;

import dev.narwhal.Application;
import dev.narwhal.supervisor.internal.RequestRunner;
import dev.narwhal.supervisor.internal.Responses;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A worker: runs the application for one request at a time on its own thread (gunicorn's
 * {@code sync} worker), and takes its next request from the {@link WorkQueue} itself as soon as
 * it is free (pull dispatch).
 *
 * <p>Spawned and watched by the {@link Arbiter}, which it tells when it has booted. States:
 * {@code booting} (the application's {@code onStart} runs), {@code idle} (parked in the queue),
 * {@code busy} (a request runs), {@code draining} (retiring once the request in hand is answered).
 */
public final class Worker {

  public sealed interface Command permits Handle, Retire, Booted, BootFailed, RequestFinished, RequestCrashed {}

  /** Run this request; sent by the {@link WorkQueue} to a parked worker. */
  public record Handle(Job job) implements Command {}

  /** Finish the request in hand, take no new one, then stop. */
  public enum Retire implements Command { INSTANCE }

  private enum Booted implements Command { INSTANCE }

  private record BootFailed(Throwable cause) implements Command {}

  private enum RequestFinished implements Command { INSTANCE }

  private record RequestCrashed(Error cause) implements Command {}

  /** Thrown to fail the actor when the handler raised an {@link Error}: the arbiter replaces it. */
  static final class WorkerCrashed extends RuntimeException {
    WorkerCrashed(Error cause) {
      super("worker crashed: " + cause, cause);
    }
  }

  private final ActorContext<Command> ctx;
  private final int index;
  private final WorkQueue queue;
  private final WorkerMeter meter;
  private final ActorRef<Arbiter.Command> arbiter;
  private final RequestRunner runner;

  private Worker(ActorContext<Command> ctx, int index, Supplier<? extends Application> app,
      WorkQueue queue, WorkerMeter meter, ActorRef<Arbiter.Command> arbiter) {
    this.ctx = ctx;
    this.index = index;
    this.queue = queue;
    this.meter = meter;
    this.arbiter = arbiter;
    this.runner = new RequestRunner("narwhal-worker-" + index, app);
  }

  public static Behavior<Command> create(int index, Supplier<? extends Application> app, WorkQueue queue,
      WorkerMeter meter, ActorRef<Arbiter.Command> arbiter) {
    return Behaviors.setup(ctx -> new Worker(ctx, index, app, queue, meter, arbiter).boot());
  }

  private Behavior<Command> boot() {
    ActorRef<Command> self = ctx.getSelf();
    runner.boot(() -> self.tell(Booted.INSTANCE), cause -> self.tell(new BootFailed(cause)));
    return booting();
  }

  private Behavior<Command> booting() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case Booted b -> onBooted();
          case BootFailed f -> onBootFailed(f);
          case Retire r -> Behaviors.stopped();
          case Handle h -> bounce(h, Behaviors.same());
          case RequestFinished f -> Behaviors.unhandled();
          case RequestCrashed c -> Behaviors.unhandled();
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
          case RequestFinished f -> Behaviors.unhandled();
          case RequestCrashed c -> Behaviors.unhandled();
        })
        .onSignal(PostStop.class, s -> onPostStop(null))
        .build();
  }

  private Behavior<Command> busy(Job job) {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case RequestFinished f -> onRequestFinished();
          case RequestCrashed c -> throw new WorkerCrashed(c.cause());
          case Retire r -> draining(job);
          case Handle h -> bounce(h, Behaviors.same());
          case Booted b -> Behaviors.unhandled();
          case BootFailed f -> Behaviors.unhandled();
        })
        .onSignal(PostStop.class, s -> onPostStop(job))
        .build();
  }

  private Behavior<Command> draining(Job job) {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case RequestFinished f -> {
            meter.finished();
            yield Behaviors.stopped();
          }
          case RequestCrashed c -> throw new WorkerCrashed(c.cause());
          case Handle h -> bounce(h, Behaviors.same());
          case Retire r -> Behaviors.same();
          case Booted b -> Behaviors.unhandled();
          case BootFailed f -> Behaviors.unhandled();
        })
        .onSignal(PostStop.class, s -> onPostStop(job))
        .build();
  }

  private Behavior<Command> onBooted() {
    ctx.getLog().info("Booted worker {}", index);
    arbiter.tell(new Arbiter.WorkerBooted(index, ctx.getSelf()));
    return takeNext();
  }

  private Behavior<Command> onBootFailed(BootFailed failed) {
    arbiter.tell(new Arbiter.WorkerBootFailed(index, failed.cause()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onRequestFinished() {
    meter.finished();
    return takeNext();
  }

  /** Pull dispatch: run the next waiting request at once, or park until one arrives. */
  private Behavior<Command> takeNext() {
    Job next = queue.nextOrPark(ctx.getSelf());
    return next == null ? idle() : start(next);
  }

  private Behavior<Command> start(Job job) {
    ActorRef<Command> self = ctx.getSelf();
    meter.started();
    runner.run(job, () -> self.tell(RequestFinished.INSTANCE), error -> self.tell(new RequestCrashed(error)));
    return busy(job);
  }

  /** A request reached a worker that cannot take it (a race with retiring): give it back. */
  private Behavior<Command> bounce(Handle handle, Behavior<Command> next) {
    queue.resubmit(handle.job());
    return next;
  }

  private Behavior<Command> onPostStop(Job inHand) {
    queue.unpark(ctx.getSelf());
    if (inHand != null && inHand.complete(Responses.unavailable())) {
      ctx.getLog().warn("Worker {} stopped with {} unanswered; answered 503", index, inHand);
    }
    runner.stop();
    return Behaviors.same();
  }
}
