package dev.narwhal.supervisor;

import dev.narwhal.spi.WorkerExtension;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the arbiter runs its pool with; a reload replaces it as a whole.
 *
 * @param workerClass how workers run requests
 * @param capacity requests one worker runs at once (ignored for sync: always 1)
 * @param workers the target number of workers
 * @param app where workers get their application
 * @param recycle when workers are recycled
 * @param timeout how long one request may run; zero disables
 * @param bootTimeout how long a worker's application may take to start
 * @param extension builds each worker's extension (the SPI); {@link #NO_EXTENSION} for none
 */
public record PoolSettings(WorkerClass workerClass, int capacity, int workers, ApplicationSource app, RecyclePolicy recycle, Duration timeout,
    Duration bootTimeout, Supplier<? extends WorkerExtension> extension) {
  /** Workers without an extension. */
  public static final Supplier<WorkerExtension> NO_EXTENSION = () -> NoExtension.INSTANCE;

  private enum NoExtension implements WorkerExtension { INSTANCE }

  public PoolSettings {
    if (workers < 1 || capacity < 1) {
      throw new IllegalArgumentException("workers and capacity must be >= 1");
    }
  }

  /** Plain settings for tests and embedding: no recycling, 30 s timeout, 60 s boot timeout. */
  public static PoolSettings of(int workers, ApplicationSource app) {
    return new PoolSettings(WorkerClass.SYNC, 1, workers, app, RecyclePolicy.NEVER, Duration.ofSeconds(30),
        Duration.ofSeconds(60), NO_EXTENSION);
  }

  public PoolSettings withWorkers(int newWorkers) {
    return new PoolSettings(workerClass, capacity, newWorkers, app, recycle, timeout, bootTimeout, extension);
  }

  public PoolSettings withWorkerClass(WorkerClass newClass, int newCapacity) {
    return new PoolSettings(newClass, newCapacity, workers, app, recycle, timeout, bootTimeout, extension);
  }

  public PoolSettings withRecycle(RecyclePolicy newRecycle) {
    return new PoolSettings(workerClass, capacity, workers, app, newRecycle, timeout, bootTimeout, extension);
  }

  public PoolSettings withTimeout(Duration newTimeout) {
    return new PoolSettings(workerClass, capacity, workers, app, recycle, newTimeout, bootTimeout, extension);
  }
}
