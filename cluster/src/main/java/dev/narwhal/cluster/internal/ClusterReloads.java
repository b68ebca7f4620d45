package dev.narwhal.cluster.internal;

import dev.narwhal.cluster.internal.ReloadCoordinator.ClusterReloaded;
import dev.narwhal.cluster.internal.ReloadCoordinator.RollingReload;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Asks the {@link ReloadCoordinator} for a cluster-wide rolling reload and keeps asking, with the
 * same id, until it answers: an ask that times out is most likely a coordinator that died with
 * its node, and the one Pekko starts in its place resumes the sequence when asked again.
 */
public final class ClusterReloads {
  /** How long one ask waits before asking again. */
  static final Duration ATTEMPT = Duration.ofSeconds(20);

  private ClusterReloads() {}

  /** A fresh reload id. */
  public static String newId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** Runs reload {@code id} through {@code coordinator} (a singleton proxy); gives up after {@code within}. */
  public static CompletionStage<ClusterReloaded> run(ActorSystem<?> system, ActorRef<ReloadCoordinator.Command> coordinator,
      String id, Duration within) {
    return run(system, coordinator, id, within, ATTEMPT);
  }

  /** Like {@link #run(ActorSystem, ActorRef, String, Duration)}, asking again after each {@code attempt}. */
  public static CompletionStage<ClusterReloaded> run(ActorSystem<?> system, ActorRef<ReloadCoordinator.Command> coordinator,
      String id, Duration within, Duration attempt) {
    CompletableFuture<ClusterReloaded> outcome = new CompletableFuture<>();
    attempt(system, coordinator, id, Instant.now().plus(within), attempt, outcome);
    return outcome;
  }

  private static void attempt(ActorSystem<?> system, ActorRef<ReloadCoordinator.Command> coordinator, String id,
      Instant deadline, Duration attempt, CompletableFuture<ClusterReloaded> outcome) {
    AskPattern.<ReloadCoordinator.Command, ClusterReloaded>ask(coordinator, replyTo -> new RollingReload(id, replyTo),
        attempt, system.scheduler()).whenComplete((answer, error) -> {
          if (answer != null) {
            outcome.complete(answer);
          } else if (Instant.now().isAfter(deadline) || system.getWhenTerminated().toCompletableFuture().isDone()) {
            outcome.completeExceptionally(error);
          } else {
            system.log().info("Cluster reload {}: no answer from the coordinator yet, asking again", id);
            attempt(system, coordinator, id, deadline, attempt, outcome);
          }
        });
  }
}
