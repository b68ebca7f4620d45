package dev.narwhal.supervisor;

import dev.narwhal.spi.SupervisionPolicy;
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
 * @param policy what failures do to workers, and its own recycle triggers
 * @param heap when heap pressure recycles workers
 */
public record PoolSettings(WorkerClass workerClass, int capacity, int workers, ApplicationSource app, RecyclePolicy recycle, Duration timeout,
    Duration bootTimeout, Supplier<? extends WorkerExtension> extension, SupervisionPolicy policy,
    HeapPressure.Limits heap) {
  /** Workers without an extension. */
  public static final Supplier<WorkerExtension> NO_EXTENSION = () -> NoExtension.INSTANCE;

  private enum NoExtension implements WorkerExtension { INSTANCE }

  public PoolSettings {
    if (workers < 1 || capacity < 1) {
      throw new IllegalArgumentException("workers and capacity must be >= 1");
    }
  }

  /** With the built-in supervision policy and no heap recycling. */
  public PoolSettings(WorkerClass workerClass, int capacity, int workers, ApplicationSource app, RecyclePolicy recycle,
      Duration timeout, Duration bootTimeout, Supplier<? extends WorkerExtension> extension) {
    this(workerClass, capacity, workers, app, recycle, timeout, bootTimeout, extension, SupervisionPolicy.DEFAULT,
        HeapPressure.Limits.OFF);
  }

  /** Plain settings for tests and embedding: no recycling, 30 s timeout, 60 s boot timeout. */
  public static PoolSettings of(int workers, ApplicationSource app) {
    return new PoolSettings(WorkerClass.SYNC, 1, workers, app, RecyclePolicy.NEVER, Duration.ofSeconds(30),
        Duration.ofSeconds(60), NO_EXTENSION);
  }

  public PoolSettings withWorkers(int newWorkers) {
    return new PoolSettings(workerClass, capacity, newWorkers, app, recycle, timeout, bootTimeout, extension, policy, heap);
  }

  public PoolSettings withWorkerClass(WorkerClass newClass, int newCapacity) {
    return new PoolSettings(newClass, newCapacity, workers, app, recycle, timeout, bootTimeout, extension, policy, heap);
  }

  public PoolSettings withRecycle(RecyclePolicy newRecycle) {
    return new PoolSettings(workerClass, capacity, workers, app, newRecycle, timeout, bootTimeout, extension, policy, heap);
  }

  public PoolSettings withTimeout(Duration newTimeout) {
    return new PoolSettings(workerClass, capacity, workers, app, recycle, newTimeout, bootTimeout, extension, policy, heap);
  }

  public PoolSettings withPolicy(SupervisionPolicy newPolicy) {
    return new PoolSettings(workerClass, capacity, workers, app, recycle, timeout, bootTimeout, extension, newPolicy,
        heap);
  }

  public PoolSettings withHeap(HeapPressure.Limits newHeap) {
    return new PoolSettings(workerClass, capacity, workers, app, recycle, timeout, bootTimeout, extension, policy,
        newHeap);
  }
}
