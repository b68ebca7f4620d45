package dev.narwhal.http.internal;

import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.Stats;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * INTERNAL API. The one way to ask the arbiter for a {@link Stats} snapshot. Bounded: an arbiter
 * busy with a storm of reloads answers late, and no caller (a health probe, the metrics sampler, a
 * test) may hang on it.
 */
public final class ArbiterStats {
  /** How long the arbiter gets to answer. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private ArbiterStats() {}

  /** Asks; completes exceptionally after {@link #TIMEOUT}. */
  public static CompletionStage<Stats> ask(ActorSystem<Arbiter.Command> system) {
    return AskPattern.ask(system, Arbiter.GetStats::new, TIMEOUT, system.scheduler());
  }

  /**
   * Asks and waits (a second beyond the ask's own timeout, in case the scheduler never fires).
   *
   * @throws IllegalStateException when the arbiter did not answer, or the thread was interrupted
   */
  public static Stats get(ActorSystem<Arbiter.Command> system) {
    try {
      return ask(system).toCompletableFuture().get(TIMEOUT.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("stats did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("stats did not answer (interrupted)", e);
    }
  }
}
