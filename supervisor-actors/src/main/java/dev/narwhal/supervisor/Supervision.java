package dev.narwhal.supervisor;

import dev.narwhal.Request;
import dev.narwhal.WorkerInfo;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.SupervisionPolicy.RestartWithBackoff;
import dev.narwhal.spi.SupervisionPolicy.StopServer;
import java.time.Duration;
import java.util.Optional;

/**
 * What the {@link SupervisionPolicy} decided about the pool's failures, and what that means for the
 * {@link PoolKeeper}: how long to wait before topping the pool up, and whether the server must stop.
 * Owns the count of boot failures in a row (any boot resets it), which the policy sees: the
 * built-in one backs off and gives up on it (gunicorn halts on WORKER_BOOT_ERROR; Pekko's
 * {@code restart().withLimit}). Mutable, used on the arbiter's thread only.
 */
final class Supervision {
  private int bootFailuresInARow;
  /** The backoff the policy asked for after the last failed boot; null once a boot succeeds. */
  private Duration bootDelay;
  private StopServer fatal;

  /** A worker booted: boots work again. */
  void booted() {
    bootFailuresInARow = 0;
    bootDelay = null;
  }

  /** A worker's boot failed (not a reload's: that aborts the reload instead). */
  void bootFailed(SupervisionPolicy policy, WorkerInfo worker, Throwable cause) {
    bootFailuresInARow++;
    switch (policy.decide(new SupervisionPolicy.BootFailed(worker, cause, bootFailuresInARow))) {
      case StopServer stop -> fatal = stop;
      case RestartWithBackoff later -> bootDelay = later.delay();
      // nothing to keep, and nothing to wait for
      case SupervisionPolicy.RestartNow now -> bootDelay = null;
      case SupervisionPolicy.Keep keep -> bootDelay = null;
    }
  }

  /** A request overran the timeout: its thread is lost whatever is decided, so only a stop changes anything. */
  void timedOut(SupervisionPolicy policy, WorkerInfo worker, Request request, Duration ran) {
    if (policy.decide(new SupervisionPolicy.TimedOut(worker, request, ran)) instanceof StopServer stop) {
      fatal = stop;
    }
  }

  /**
   * A worker's actor failed. When the policy had it stop after a handler's failure (decided on the
   * worker's own thread, see {@code RequestRunner}), its decision comes with the failure.
   *
   * @return how long to wait before its slot is filled again, if at all
   */
  Optional<Duration> crashed(Throwable cause) {
    Duration crashDelay = null;
    if (cause instanceof Worker.WorkerCrashed crashed) {
      switch (crashed.decision) {
        case StopServer stop -> fatal = stop;
        case RestartWithBackoff later -> crashDelay = later.delay();
        default -> { }
      }
    }
    return Optional.ofNullable(bootDelay != null ? bootDelay : crashDelay);
  }

  /** How long to wait before topping the pool up: the boot backoff while boots fail. */
  Optional<Duration> respawnDelay() {
    return Optional.ofNullable(bootDelay);
  }

  /** Whether a decision to stop the server is pending: then no worker is to be booted. */
  boolean mustStop() {
    return fatal != null;
  }

  /** Whether the server must stop, and with what status: each such decision once, as it is taken. */
  Optional<StopServer> takeFatal() {
    Optional<StopServer> taken = Optional.ofNullable(fatal);
    fatal = null;
    return taken;
  }
}
