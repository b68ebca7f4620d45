package dev.narwhal.spi;

import java.time.Duration;

/**
 * Narwhal's built-in supervision, written against {@link SupervisionPolicy} like any other: an
 * {@link Error} from a handler replaces the worker (its state can no longer be trusted), an
 * exception only costs its request a 500; a timed-out request's worker is replaced; a boot failure
 * is retried after 200 ms doubling up to 5 s, and after {@link #MAX_BOOT_FAILURES} in a row the
 * server exits with status 3 (gunicorn's WORKER_BOOT_ERROR). It recycles nothing by itself:
 * {@code max-requests} and {@code max-worker-lifetime} are settings.
 *
 * <p>Delegate to it ({@link SupervisionPolicy#DEFAULT}) for the failures your policy does not
 * decide itself.
 */
public class DefaultSupervisionPolicy implements SupervisionPolicy {
  /** Consecutive boot failures after which the server gives up. */
  public static final int MAX_BOOT_FAILURES = 5;

  private static final long MAX_BACKOFF_MS = 5_000;

  @Override
  public Decision decide(Failure failure) {
    return switch (failure) {
      case HandlerFailed f -> f.cause() instanceof Error ? SupervisionPolicy.restartNow() : SupervisionPolicy.keep();
      case TimedOut t -> SupervisionPolicy.restartNow();
      case BootFailed b -> b.inARow() >= MAX_BOOT_FAILURES
          ? SupervisionPolicy.stopServer(3, "workers failed to boot " + b.inARow() + " times in a row; last error: "
              + b.cause())
          : SupervisionPolicy.restartAfter(bootBackoff(b.inARow()));
    };
  }

  /** 200 ms after the first failure, doubling, at most 5 s. */
  static Duration bootBackoff(int inARow) {
    return Duration.ofMillis(Math.min(MAX_BACKOFF_MS, 100L << Math.min(Math.max(inARow, 1), 6)));
  }
}
