package dev.narwhal.spi;

import dev.narwhal.WorkerInfo;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;

/**
 * What a {@link WorkerExtension} gets from its worker. Valid only inside
 * {@link WorkerExtension#onWorkerStart} and {@link WorkerExtension#onWorkerStop}, which run on the
 * worker's actor.
 */
public interface WorkerContext {

  /** The worker: slot, phase, requests served. */
  WorkerInfo info();

  /**
   * Spawns a child actor of the worker. It lives as long as the worker: stopped when the worker
   * stops or is recycled, and supervised like any Pekko child (wrap the behaviour in
   * {@code Behaviors.supervise(...)} to choose restart or stop on failure).
   */
  <T> ActorRef<T> spawn(Behavior<T> behavior, String name);

  /** The actor system, for schedulers, the receptionist, or extensions. */
  ActorSystem<?> system();
}
