package dev.narwhal.spi;

import dev.narwhal.Request;
import dev.narwhal.WorkerInfo;
import java.time.Duration;
import java.util.Optional;

/**
 * What a failure does to its worker, and when a healthy worker should be recycled anyway: the
 * supervision strategy of Narwhal's arbiter, opened to applications the way Pekko lets a parent
 * pick its {@code SupervisorStrategy}. Give yours with {@code supervision-policy =
 * com.example.MyPolicy} (a public no-argument constructor); without one, {@link #DEFAULT} decides.
 *
 * <pre>{@code
 * public final class StrictPolicy implements SupervisionPolicy {
 *   public Decision decide(Failure failure) {
 *     if (failure instanceof HandlerFailed f && f.cause() instanceof OutOfMemoryError) {
 *       return stopServer(4, "out of memory");
 *     }
 *     return DEFAULT.decide(failure);
 *   }
 * }
 * }</pre>
 *
 * <p>One instance serves the whole server (a reload builds a new one); {@link #decide} for a
 * handler's failure runs on that worker's own thread, the rest on the arbiter's, so both methods
 * must be thread-safe, quick and must not block.
 */
public interface SupervisionPolicy {

  /** Narwhal's built-in rules; see {@link DefaultSupervisionPolicy}. */
  SupervisionPolicy DEFAULT = new DefaultSupervisionPolicy();

  /** Something that went wrong with a worker. */
  sealed interface Failure permits HandlerFailed, TimedOut, BootFailed {
    /** The worker it happened to. */
    WorkerInfo worker();
  }

  /**
   * A handler (or a worker extension's {@code intercept}) threw while serving {@code request}. The
   * client gets 500 whatever is decided; {@link Keep} takes the worker's next request as usual.
   */
  record HandlerFailed(WorkerInfo worker, Request request, Throwable cause) implements Failure {}

  /**
   * A request ran longer than {@code timeout}: it was answered 504 and its thread interrupted and
   * left behind. The thread is lost either way, so only {@link StopServer} changes what happens:
   * the others mean the built-in replacement (a sync worker stops and is replaced at once, a worker
   * with more threads boots a successor first).
   */
  record TimedOut(WorkerInfo worker, Request request, Duration ran) implements Failure {}

  /**
   * A worker's application failed to start (or overran {@code boot-timeout}); {@code inARow} counts
   * the boot failures since the last successful boot, this one included. {@link Keep} means
   * {@link RestartNow}: there is no worker to keep.
   */
  record BootFailed(WorkerInfo worker, Throwable cause, int inARow) implements Failure {}

  /** What to do about a {@link Failure}. */
  sealed interface Decision permits Keep, RestartNow, RestartWithBackoff, StopServer {}

  /** The worker carries on. */
  record Keep() implements Decision {}

  /** The worker stops and a fresh one takes its slot at once. */
  record RestartNow() implements Decision {}

  /** The worker stops and a fresh one takes its slot after {@code delay}. */
  record RestartWithBackoff(Duration delay) implements Decision {}

  /** The whole server stops at once and the process exits with {@code exitStatus}. */
  record StopServer(int exitStatus, String reason) implements Decision {}

  static Decision keep() {
    return new Keep();
  }

  static Decision restartNow() {
    return new RestartNow();
  }

  static Decision restartAfter(Duration delay) {
    return new RestartWithBackoff(delay);
  }

  static Decision stopServer(int exitStatus, String reason) {
    return new StopServer(exitStatus, reason);
  }

  /**
   * A serving worker's figures, as the arbiter checks them about once a second.
   *
   * @param worker its slot, phase and requests served
   * @param age how long since it was started
   * @param errors requests whose handler threw
   */
  record WorkerFigures(WorkerInfo worker, Duration age, long errors) {
    /** Requests served. */
    public long served() {
      return worker.served();
    }

    /** The share of its requests whose handler threw, 0 before its first request. */
    public double errorRate() {
      return worker.served() == 0 ? 0 : (double) errors / worker.served();
    }
  }

  /** Decides what {@code failure} does to its worker (and perhaps to the server). */
  Decision decide(Failure failure);

  /**
   * Whether a worker that is serving normally should be recycled (successor first, as at
   * {@code max-requests}), and why: the reason is logged. Empty keeps it.
   */
  default Optional<String> recycle(WorkerFigures figures) {
    return Optional.empty();
  }
}
