package dev.narwhal.supervisor;

import dev.narwhal.WorkerInfo;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.WorkerContext;
import dev.narwhal.spi.WorkerExtension;
import dev.narwhal.supervisor.internal.RequestRunner;
import dev.narwhal.supervisor.internal.SharedActors;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A worker: the supervised owner of one {@link RequestRunner}, which runs the application on the
 * worker's own threads and pulls requests from the {@link WorkQueue} itself. The actor is off the
 * request path: it hears lifecycle events only, and sweeps for requests that overran
 * {@code timeout} (gunicorn's master does that sweep; here each worker does its own).
 *
 * <p>Spawned and watched by the {@link Arbiter}. States: {@code booting} (the application starts,
 * bounded by {@code boot-timeout}), {@code serving}, {@code draining} (retiring once nothing runs).
 * A request that overruns its timeout is answered 504 and its thread interrupted and left; a
 * {@code sync} worker then stops at once (its only thread is stuck) and is replaced, other classes
 * ask for a successor and drain.
 */
public final class Worker {

  public sealed interface Command
      permits Retire, Deliver, Booted, BootFailed, BootTimedOut, LimitReached, Drained, Crashed, CheckTimeouts {}

  /** Finish what is running, take nothing new, then stop. */
  public enum Retire implements Command { INSTANCE }

  /** Hand {@code message} to this worker's extension and application (a broadcast). */
  public record Deliver(Object message) implements Command {}

  private enum Booted implements Command { INSTANCE }

  private record BootFailed(Throwable cause) implements Command {}

  private enum BootTimedOut implements Command { INSTANCE }

  private enum LimitReached implements Command { INSTANCE }

  private enum Drained implements Command { INSTANCE }

  private record Crashed(Throwable cause, SupervisionPolicy.Decision decision) implements Command {}

  private enum CheckTimeouts implements Command { INSTANCE }

  /**
   * Thrown to fail the actor when the supervision policy wants it gone after a handler's failure
   * (by default an {@link Error}); the arbiter reads the {@code decision} when it reaps the worker.
   */
  static final class WorkerCrashed extends RuntimeException {
    final transient SupervisionPolicy.Decision decision;

    WorkerCrashed(Throwable cause, SupervisionPolicy.Decision decision) {
      super("worker crashed: " + cause, cause);
      this.decision = decision;
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final WorkerSpec spec;
  private final WorkerMeter meter;
  private final ActorRef<Arbiter.Command> arbiter;
  private final RequestRunner runner;
  private final WorkerExtension extension;
  private final WorkerContext context;
  private final HookInvoker hooks;

  private Worker(ActorContext<Command> ctx, TimerScheduler<Command> timers, WorkerSpec spec, WorkerMeter meter,
      ActorRef<Arbiter.Command> arbiter) {
    this.ctx = ctx;
    this.timers = timers;
    this.spec = spec;
    this.meter = meter;
    this.arbiter = arbiter;
    this.hooks = new HookInvoker(spec.hooks());
    ActorRef<Command> self = ctx.getSelf();
    this.extension = spec.extension().get();
    this.context = new WorkerContext() {
      public WorkerInfo info() {
        return Worker.this.info();
      }

      public <T> ActorRef<T> spawn(Behavior<T> behavior, String name) {
        return ctx.spawn(behavior, name);
      }

      public <T> ActorRef<T> spawnShared(Behavior<T> behavior, String name) {
        return SharedActors.get(ctx.getSystem()).obtain(behavior, name);
      }

      public ActorSystem<?> system() {
        return ctx.getSystem();
      }

      public void broadcast(Object message) {
        arbiter.tell(new Arbiter.Broadcast(message));
      }
    };
    this.runner = new RequestRunner("narwhal-worker-" + spec.index() + "-phase-" + spec.phase(), spec.workerClass(),
        spec.capacity(), spec.app(), spec.queue(), meter, spec.requestLimit(), hooks, this::info,
        new RequestRunner.Events() {
          public void booted() {
            self.tell(Booted.INSTANCE);
          }

          public void bootFailed(Throwable cause) {
            self.tell(new BootFailed(cause));
          }

          public void limitReached() {
            self.tell(LimitReached.INSTANCE);
          }

          public void drained() {
            self.tell(Drained.INSTANCE);
          }

          public void crashed(Throwable cause, SupervisionPolicy.Decision decision) {
            self.tell(new Crashed(cause, decision));
          }
        }, extension, spec.policy());
  }

  public static Behavior<Command> create(WorkerSpec spec, WorkerMeter meter, ActorRef<Arbiter.Command> arbiter) {
    return Behaviors.setup(ctx -> {
      // naming the logger up front spares every new worker Pekko's stack walk to find it, a
      // measurable share of the cost of a recycle (docs/performance.md)
      ctx.setLoggerName(Worker.class);
      return Behaviors.withTimers(timers -> new Worker(ctx, timers, spec, meter, arbiter).boot());
    });
  }

  WorkerInfo info() {
    return new WorkerInfo(spec.index(), spec.phase(), meter.served(), spec.pool());
  }

  private Behavior<Command> boot() {
    try {
      extension.onWorkerStart(context);
    } catch (Exception e) {
      return onBootFailed(e);
    }
    timers.startSingleTimer(BootTimedOut.INSTANCE, spec.bootTimeout());
    runner.boot();
    return booting();
  }

  private Behavior<Command> booting() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case Booted b -> onBooted();
          case BootFailed f -> onBootFailed(f.cause());
          case BootTimedOut t -> onBootTimedOut();
          case Retire r -> Behaviors.stopped();
          case Deliver d -> Behaviors.same(); // its application starts fresh: nothing to tell it
          case LimitReached l -> Behaviors.same();
          case Drained d -> Behaviors.same();
          case Crashed c -> throw new WorkerCrashed(c.cause(), c.decision());
          case CheckTimeouts c -> Behaviors.same();
        })
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> serving() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case CheckTimeouts c -> onCheckTimeouts();
          case LimitReached l -> onLimitReached();
          case Retire r -> onRetire();
          case Deliver d -> onDeliver(d);
          case Crashed c -> throw new WorkerCrashed(c.cause(), c.decision());
          case Drained d -> Behaviors.same();
          case Booted b -> Behaviors.same();
          case BootFailed f -> Behaviors.same();
          case BootTimedOut t -> Behaviors.same();
        })
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> draining() {
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, msg -> switch (msg) {
          case Drained d -> Behaviors.stopped();
          case CheckTimeouts c -> onCheckTimeouts();
          case Crashed c -> throw new WorkerCrashed(c.cause(), c.decision());
          case Retire r -> Behaviors.same();
          case Deliver d -> onDeliver(d);
          case LimitReached l -> Behaviors.same();
          case Booted b -> Behaviors.same();
          case BootFailed f -> Behaviors.same();
          case BootTimedOut t -> Behaviors.same();
        })
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private Behavior<Command> onBooted() {
    timers.cancel(BootTimedOut.INSTANCE);
    ctx.getLog().info("Booted worker {} (phase {}, {})", spec.index(), spec.phase(), spec.workerClass().settingName());
    if (!spec.timeout().isZero()) {
      timers.startTimerWithFixedDelay(CheckTimeouts.INSTANCE, sweepInterval(spec.timeout()));
    }
    arbiter.tell(new Arbiter.WorkerBooted(spec.index(), ctx.getSelf()));
    runner.open();
    return serving();
  }

  /** Often enough that a stuck request is answered well within timeout + 1 s, rarely enough to cost nothing. */
  static Duration sweepInterval(Duration timeout) {
    long ms = Math.max(10, Math.min(250, timeout.toMillis() / 10));
    return Duration.ofMillis(ms);
  }

  private Behavior<Command> onBootFailed(Throwable cause) {
    arbiter.tell(new Arbiter.WorkerBootFailed(spec.index(), ctx.getSelf(), cause));
    return Behaviors.stopped();
  }

  /**
   * The application's start overran boot-timeout: give up on it. Its thread is left behind and
   * counted as stuck: boots that hang now and then would otherwise leak threads unseen.
   */
  private Behavior<Command> onBootTimedOut() {
    Thread left = runner.abandonBoot();
    arbiter.tell(new Arbiter.WorkerBootFailed(spec.index(), ctx.getSelf(), new TimeoutException(
        "the application did not start within " + spec.bootTimeout().toMillis() + " ms (boot-timeout)"), left));
    return Behaviors.stopped();
  }

  /** Keep serving until the successor has booted: recycling must not dip capacity. */
  private Behavior<Command> onLimitReached() {
    arbiter.tell(new Arbiter.WorkerWornOut(ctx.getSelf(), Arbiter.WornOut.MAX_REQUESTS));
    return Behaviors.same();
  }

  private Behavior<Command> onDeliver(Deliver deliver) {
    runner.deliver(deliver.message());
    return Behaviors.same();
  }

  private Behavior<Command> onRetire() {
    runner.retire();
    return draining();
  }

  /**
   * Requests past {@code timeout}: each is answered 504 and reported with its stack. A sync worker
   * has lost its only thread and stops now; a worker with more threads asks for a successor.
   */
  private Behavior<Command> onCheckTimeouts() {
    var expired = runner.expire(spec.timeout().toNanos());
    for (RequestRunner.Expired e : expired) {
      long ageMs = Duration.ofNanos(System.nanoTime() - e.job().startedNanos()).toMillis();
      arbiter.tell(new Arbiter.WorkerTimedOut(ctx.getSelf(), spec.index(), e.job().request(), ageMs, e.stack(),
          e.thread()));
    }
    if (expired.isEmpty()) {
      return Behaviors.same();
    }
    if (runner.capacity() == 1) {
      return Behaviors.stopped();
    }
    arbiter.tell(new Arbiter.WorkerWornOut(ctx.getSelf(), Arbiter.WornOut.STUCK_THREAD));
    return Behaviors.same();
  }

  private Behavior<Command> onPostStop() {
    try {
      extension.onWorkerStop(context);
    } catch (Exception e) {
      ctx.getLog().warn("Worker extension onWorkerStop failed", e);
    }
    int cut = runner.close();
    if (cut > 0) {
      ctx.getLog().warn("Worker {} stopped with {} requests unanswered; answered 503", spec.index(), cut);
      hooks.call("workerInterrupted", h -> h.workerInterrupted(info()));
    }
    return Behaviors.same();
  }
}
