package dev.narwhal.server.internal;

import dev.narwhal.Application;
import dev.narwhal.ServerStartException;
import dev.narwhal.config.AppResolver;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.WorkerExtension;
import dev.narwhal.supervisor.ApplicationSource;
import dev.narwhal.supervisor.ConcurrencyLimit;
import dev.narwhal.supervisor.HeapPressure;
import dev.narwhal.supervisor.PoolSettings;
import dev.narwhal.supervisor.RecyclePolicy;
import dev.narwhal.supervisor.WorkerClass;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The arbiter's {@link PoolSettings} from a {@link ServerConfig}: the worker class
 * (a built-in name, or a {@link WorkerExtension} class over one), its capacity, recycling, and
 * where each worker's application comes from. Used at start and again at every reload.
 */
public final class PoolConfig {
  private static final Logger log = LoggerFactory.getLogger("narwhal");

  private PoolConfig() {}

  /**
   * With {@code preload-app} one instance is built and started here, before any worker, and
   * shared; otherwise each worker builds its own.
   *
   * @throws ServerStartException status 2 for a bad worker class, 3 when the preloaded app fails
   */
  public static PoolSettings from(ServerConfig config, Supplier<? extends Application> app, PreloadedApps preloaded)
      throws ServerStartException {
    ApplicationSource source;
    if (config.get(Settings.PRELOAD_APP)) {
      log.info("Preloading the application: one instance shared by all workers (preload-app on)");
      source = preloaded.start(app);
    } else {
      log.info("Each worker builds its own application instance (preload-app off)");
      source = ApplicationSource.perWorker(app);
    }
    RecyclePolicy recycle = new RecyclePolicy(config.get(Settings.MAX_REQUESTS),
        config.get(Settings.MAX_REQUESTS_JITTER), RandomGenerator.getDefault())
        .withLifetime(config.get(Settings.MAX_WORKER_LIFETIME), config.get(Settings.MAX_WORKER_LIFETIME_JITTER));
    HeapPressure.Limits heap = new HeapPressure.Limits(config.get(Settings.HEAP_RECYCLE_THRESHOLD),
        config.get(Settings.HEAP_RECYCLE_COLLECTIONS));
    SupervisionPolicy policy;
    try {
      policy = AppResolver.supervisionPolicy(config);
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
    String workerClass = config.get(Settings.WORKER_CLASS);
    Supplier<? extends WorkerExtension> extension = PoolSettings.NO_EXTENSION;
    if (workerClass.contains(".")) {
      try {
        extension = AppResolver.workerExtension(config);
        workerClass = extension.get().baseWorkerClass();
      } catch (SettingsException | IllegalStateException e) {
        throw new ServerStartException(e.getMessage(), 2);
      }
      log.info("Worker extension {} over the {} worker class", config.get(Settings.WORKER_CLASS), workerClass);
    }
    WorkerClass kind = builtInWorkerClass(workerClass, extension != PoolSettings.NO_EXTENSION);
    int threads = config.get(Settings.THREADS);
    if (kind == WorkerClass.SYNC && threads > 1) {
      log.info("Worker class sync with {} threads runs as gthread, as in gunicorn", threads);
      kind = WorkerClass.GTHREAD;
    }
    int capacity = switch (kind) {
      case SYNC -> 1;
      case GTHREAD -> threads;
      case VIRTUAL, ASYNC -> config.get(Settings.WORKER_CONNECTIONS);
    };
    return new PoolSettings(kind, capacity, config.workers(), source, recycle, config.get(Settings.TIMEOUT),
        config.get(Settings.BOOT_TIMEOUT), extension, policy, heap);
  }

  /**
   * The pool's admission limit from the {@code concurrency-limit} settings; read where the pool's
   * queue is built (today one queue for the server, so a restart changes it).
   *
   * @throws ServerStartException status 2 when auto's initial, min and max do not nest
   */
  public static ConcurrencyLimit concurrencyLimit(ServerConfig config) throws ServerStartException {
    String mode = config.get(Settings.CONCURRENCY_LIMIT);
    if (mode.equals("off")) {
      return ConcurrencyLimit.OFF;
    }
    if (!mode.equals("auto")) {
      return ConcurrencyLimit.fixed(Integer.parseInt(mode));
    }
    int initial = config.get(Settings.CONCURRENCY_LIMIT_INITIAL);
    int min = config.get(Settings.CONCURRENCY_LIMIT_MIN);
    int max = config.get(Settings.CONCURRENCY_LIMIT_MAX);
    if (min > max || initial < min || initial > max) {
      throw new ServerStartException("concurrency-limit = auto needs concurrency-limit-min <= -initial <= -max, got "
          + min + ", " + initial + ", " + max, 2);
    }
    return ConcurrencyLimit.auto(initial, min, max);
  }

  // an extension wraps a blocking worker; async has no request thread for it to wrap
  private static WorkerClass builtInWorkerClass(String name, boolean forExtension) throws ServerStartException {
    try {
      WorkerClass kind = WorkerClass.valueOf(name.toUpperCase(Locale.ROOT));
      if (kind == WorkerClass.ASYNC && forExtension) {
        throw new IllegalArgumentException("async");
      }
      return kind;
    } catch (IllegalArgumentException e) {
      throw new ServerStartException("a worker extension's baseWorkerClass() must be sync, gthread or virtual, not '"
          + name + "'", 2);
    }
  }
}
