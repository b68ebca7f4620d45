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

  /**
   * The server-wide actor called {@code name}, spawned beside the arbiter on first use: one for all
   * workers, of every phase. It outlives recycling and reloads (a shared rate limiter, a cache, a
   * connection pool's keeper) and stops with the server. If it fails it is restarted with backoff,
   * as the arbiter restarts a crashed worker (wrap the behaviour in {@code Behaviors.supervise(...)}
   * to choose otherwise). Later calls with the same name return the same actor and ignore
   * {@code behavior}, so one name must always mean one protocol.
   *
   * <pre>{@code
   * public void onWorkerStart(WorkerContext worker) {
   *   visits = worker.spawnShared(VisitCounter.create(), "visit-counter");
   * }
   * }</pre>
   */
  <T> ActorRef<T> spawnShared(Behavior<T> behavior, String name);

  /**
   * Sends {@code message} to every serving worker of the pool, this one included, through the
   * arbiter: each worker's extension and application get it once, in
   * {@link WorkerExtension#onMessage} and {@link dev.narwhal.Application#onMessage} ("drop your
   * cache"). Fire and forget.
   */
  default void broadcast(Object message) {
    throw new UnsupportedOperationException("this worker context cannot broadcast");
  }

  /** The actor system, for schedulers, the receptionist, or extensions. */
  ActorSystem<?> system();
}
