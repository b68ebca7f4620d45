package dev.narwhal.supervisor.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * INTERNAL API. The server-wide actors extensions share ({@code WorkerContext.spawnShared}): one
 * per name and actor system, top-level beside the arbiter, so recycling or reloading the workers
 * that asked for them never stops them. A Pekko extension, so there is exactly one registry per
 * actor system and tests running several servers in one JVM do not share actors.
 */
public final class SharedActors implements Extension {
  private static final ExtensionId<SharedActors> ID = new ExtensionId<>() {
    @Override
    public SharedActors createExtension(ActorSystem<?> system) {
      return new SharedActors(system);
    }
  };

  private final ActorSystem<?> system;
  private final Map<String, ActorRef<?>> actors = new ConcurrentHashMap<>();

  private SharedActors(ActorSystem<?> system) {
    this.system = system;
  }

  public static SharedActors get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  /** The actor called {@code name}, spawned from {@code behavior} by the first caller. */
  @SuppressWarnings("unchecked")
  public <T> ActorRef<T> obtain(Behavior<T> behavior, String name) {
    // computeIfAbsent makes two workers booting at once agree on one actor; the unchecked cast
    // is the documented contract that one name means one protocol
    return (ActorRef<T>) actors.computeIfAbsent(name, n -> system.systemActorOf(
        Behaviors.supervise(behavior).onFailure(
            SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2)),
        "shared-" + n, Props.empty()));
  }
}
