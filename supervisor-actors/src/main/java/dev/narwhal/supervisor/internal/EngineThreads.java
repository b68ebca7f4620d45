package dev.narwhal.supervisor.internal;

import dev.narwhal.supervisor.WorkerClass;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * INTERNAL API. The threads a worker's engine runs requests on. Handlers block, so never a Pekko
 * dispatcher; platform threads are daemons, so a handler that never returns does not keep the JVM
 * alive after the server stopped.
 */
final class EngineThreads {
  private EngineThreads() {}

  static ExecutorService executorFor(WorkerClass kind, int capacity, String name) {
    return switch (kind) {
      case VIRTUAL -> Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
      case GTHREAD -> Executors.newFixedThreadPool(capacity, Thread.ofPlatform().daemon().name(name + "-", 0).factory());
      // async handlers run briefly on one thread; their stages complete wherever they complete
      case SYNC, ASYNC -> Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name(name).factory());
    };
  }
}
