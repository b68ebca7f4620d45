package dev.narwhal.server.internal;

import dev.narwhal.ServerStartException;
import dev.narwhal.supervisor.Arbiter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * INTERNAL API. The decision that the server must stop (a pool's workers cannot boot, or its
 * supervision policy says so), taken once, with its reason and exit status, and the start-up's
 * wait for the workers, which the pools' answer ends, or the guardian's stop when no answer can
 * come.
 *
 * <p>The hazard it closes: a pool that fails at once stops its arbiter and then the guardian,
 * sometimes before the start-up's readiness question reaches the guardian. That question is then
 * a dead letter, and the start would wait out the whole boot wait (5 minutes) for an answer that
 * cannot come, although the reason to stop was known within milliseconds. So the wait also ends
 * when the guardian has stopped. A decision alone does not end it: a serving pool's policy may stop
 * the server while another pool still boots, and that stop is a graceful one, once the server is up.
 */
public final class FatalStop {
  private record Decision(String reason, int status) {}

  private final CompletableFuture<Decision> decided = new CompletableFuture<>();

  /** The server must stop, for {@code reason}, exiting {@code status}; only the first call counts. */
  public void decide(String reason, int status) {
    decided.complete(new Decision(reason, status));
  }

  public boolean isDecided() {
    return decided.isDone();
  }

  /** The exit status decided, or {@code otherwise} when nothing was. */
  public int status(int otherwise) {
    Decision d = decided.getNow(null);
    return d == null ? otherwise : d.status();
  }

  /**
   * Waits up to {@code wait} for {@code readiness} (every pool booted, or one failed), or for
   * {@code guardianStopped} (the pools are gone, so no answer will come), whichever comes first. A
   * boot failure exits with 3, or with the status the supervision policy stopped the server with.
   */
  public void awaitBooted(CompletionStage<Arbiter.Readiness> readiness, CompletionStage<?> guardianStopped,
      Duration wait) throws ServerStartException {
    String late = "workers did not boot within " + wait.toMinutes() + " minutes";
    CompletableFuture<Object> stopped = guardianStopped.toCompletableFuture()
        .thenApply(done -> new Arbiter.BootFailure(decided.isDone() ? decided.join().reason() : "the pools stopped"));
    Object outcome;
    try {
      outcome = CompletableFuture.anyOf(readiness.toCompletableFuture(), stopped)
          .get(wait.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ServerStartException(late, 3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerStartException(late + " (interrupted)", 3);
    }
    if (outcome instanceof Arbiter.BootFailure failure) {
      throw new ServerStartException("Worker failed to boot: " + failure.reason(), status(3));
    } // else every pool booted
  }
}
