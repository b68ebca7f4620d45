package dev.narwhal.server.internal;

import dev.narwhal.http.internal.HttpFrontend;
import dev.narwhal.supervisor.Arbiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. A server's stop, in its one order: leave the cluster (still serving), stop
 * accepting, serve what was accepted for up to the deadline and answer the rest 503, stop the
 * workers, let the last bytes and the admin's reply out, then terminate the actor system. Owns
 * whether a stop was asked for (readiness turns off at that moment) and the exit status.
 */
public final class Drain {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  /**
   * How long a closed connection's last bytes get to reach the socket before the actor system
   * goes: its stream has finished, but Pekko's TCP actor may still be writing, and terminating
   * the system under it resets the connection.
   */
  private static final Duration SOCKET_FLUSH = Duration.ofMillis(200);
  /**
   * How long the actor system gets to terminate once everything accepted is answered. Its own
   * coordinated shutdown gives up on a phase after 10 s but can leave the system running (an actor
   * that never stops): without this bound the process, or a test's close(), would wait forever.
   */
  static final Duration TERMINATE_LIMIT = Duration.ofSeconds(30);

  /** Where a stop is: each moves only forward, and only {@link #stop} moves it. */
  private enum Stage {
    SERVING,
    /** shutdown-delay: readiness is off, everything else serves as before. */
    DELAYING,
    DRAINING
  }

  private final ActorSystem<Arbiter.Command> system;
  private final AtomicReference<Stage> stage = new AtomicReference<>(Stage.SERVING);
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
  private final AtomicBoolean released = new AtomicBoolean();
  private final Duration terminateLimit;
  private volatile Runnable release = () -> { };

  /** Created before the front end exists: the metrics read {@link #stopping} from the first sample. */
  public Drain(ActorSystem<Arbiter.Command> system) {
    this(system, TERMINATE_LIMIT);
  }

  Drain(ActorSystem<Arbiter.Command> system, Duration terminateLimit) {
    this.system = system;
    this.terminateLimit = terminateLimit;
  }

  /** Whether a stop has been asked for (readiness is off from that moment, delay included). */
  public boolean stopping() {
    return stage.get() != Stage.SERVING;
  }

  /**
   * Starts the stop, once; a second quick stop escalates a graceful one in progress. A graceful
   * stop with a {@code delay} first serves on for that long with readiness off. Completes with the
   * exit status.
   *
   * @param delay shutdown-delay, for a graceful stop only
   * @param frontend the application's front end, closed for new connections first
   * @param leave leaves the cluster before draining (completes at once when standalone)
   * @param adminClosed closes the admin API's connections, bounded
   */
  public CompletionStage<Integer> stop(Duration within, Duration delay, HttpFrontend frontend,
      Function<Duration, CompletionStage<Void>> leave, Supplier<CompletionStage<Void>> adminClosed) {
    // leave the cluster (still serving), then drain for up to `w`
    Consumer<Duration> begin = w -> leave.apply(w).whenComplete((ok, leaveError) -> drain(w, frontend, adminClosed));
    if (!within.isZero() && !delay.isZero() && stage.compareAndSet(Stage.SERVING, Stage.DELAYING)) {
      log.info("Shutting down: readiness off, serving for {} ms (shutdown-delay), then graceful, up to {} s",
          delay.toMillis(), within.toSeconds());
      CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS)
          .execute(() -> {
            if (stage.compareAndSet(Stage.DELAYING, Stage.DRAINING)) {
              begin.accept(within);
            }
          });
    } else if (stage.compareAndSet(Stage.SERVING, Stage.DRAINING)) {
      log.info("Shutting down: {}", within.isZero() ? "quick" : "graceful, up to " + within.toSeconds() + " s");
      begin.accept(within);
    } else if (within.isZero() && stage.compareAndSet(Stage.DELAYING, Stage.DRAINING)) {
      log.info("Shutting down: quick (escalated during shutdown-delay)");
      begin.accept(Duration.ZERO);
    } else if (within.isZero()) {
      log.info("Shutting down: quick (escalated)");
      system.tell(new Arbiter.GracefulStop(Duration.ZERO, new CompletableFuture<>(), system.ignoreRef()));
    }
    return exitStatus;
  }

  private void drain(Duration within, HttpFrontend frontend, Supplier<CompletionStage<Void>> adminClosed) {
    // the front end's hard deadline comes after ours, so the 503s we send at the deadline still go out
    CompletionStage<Void> frontendClosed = frontend.terminate(within.plus(Duration.ofSeconds(1)));
    AskPattern.<Arbiter.Command, Arbiter.Drained>ask(system,
            replyTo -> new Arbiter.GracefulStop(within, frontendClosed, replyTo),
            within.plus(Duration.ofSeconds(10)), system.scheduler())
        .handle((done, error) -> null)
        .thenCombine(frontendClosed.handle((closed, error) -> null), (a, b) -> null)
        .thenCompose(closed -> adminClosed.get().handle((ok, error) -> null))
        // one flush after the last close, the admin's: its health-check connections close last
        .thenCompose(closed -> CompletableFuture.runAsync(() -> { },
            CompletableFuture.delayedExecutor(SOCKET_FLUSH.toMillis(), TimeUnit.MILLISECONDS)))
        .whenComplete((flushed, e) -> {
          drained.complete(null);
          terminate();
        });
  }

  /**
   * Terminates the actor system; if it is still there after the limit, names the threads it waits
   * for, releases what the server holds and reports status 1, so a stop always ends.
   */
  void terminate() {
    system.terminate();
    CompletableFuture.delayedExecutor(terminateLimit.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (!system.getWhenTerminated().toCompletableFuture().isDone()) {
        log.error("The actor system did not terminate within {} s of the stop; giving up on it (exit 1). "
            + "Its threads still running:{}", terminateLimit.toSeconds(), LingeringThreads.of(system.name()));
        finish(1);
      }
    });
  }

  /**
   * Completes once a stop has answered what it accepted and closed the admin API, just before the
   * actor system terminates: what a cluster node's coordinated shutdown waits for.
   */
  public CompletionStage<Void> drained() {
    return drained;
  }

  /** Once the actor system is gone (a stop, or a fatal error): run {@code release}, then report {@code status}. */
  public void onTerminated(Runnable release, Supplier<Integer> status) {
    this.release = release;
    system.getWhenTerminated().whenComplete((done, error) -> finish(status.get()));
  }

  private void finish(int status) {
    if (released.compareAndSet(false, true)) {
      release.run();
      exitStatus.complete(status);
    }
  }

  /** The process exit status, once the server has stopped. */
  public CompletionStage<Integer> exitStatus() {
    return exitStatus;
  }
}
