package dev.narwhal.server.internal;

import dev.narwhal.http.internal.ServerState;
import dev.narwhal.ServerStartException;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.http.internal.Metrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * INTERNAL API. One server's hold on the JVM-wide Kamon ({@code metrics} on): acquired as the
 * server starts, turned into {@link Metrics} once the workers are up, released exactly once
 * whichever way the server ends (a failed start at any step, or a stop).
 *
 * <p>Hazard: Kamon is reference counted across the servers of a JVM; a lease released twice
 * would stop it under another server, and one never released keeps its reporters running.
 */
public final class KamonLease {
  private static final Duration START_WAIT = Duration.ofMinutes(2);

  private final ServerConfig config;
  private final CompletableFuture<Void> started; // null when metrics is off
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile Metrics metrics;

  private KamonLease(ServerConfig config, CompletableFuture<Void> started) {
    this.config = config;
    this.started = started;
  }

  /**
   * Starts Kamon in the background when {@code metrics} is on: its first start in a JVM loads
   * thousands of classes, so it happens while the workers boot.
   */
  public static KamonLease acquire(ServerConfig config) {
    Duration tick = config.get(Settings.METRICS_TICK_INTERVAL);
    return new KamonLease(config, config.get(Settings.METRICS)
        ? CompletableFuture.runAsync(() -> Metrics.acquireKamon(config.source(), tick))
        : null);
  }

  /**
   * Waits for Kamon and creates the instruments, sampling {@code state} every tick; empty when
   * {@code metrics} is off.
   */
  public Optional<Metrics> open(Supplier<ServerState> state) throws ServerStartException {
    if (started == null) {
      return Optional.empty();
    }
    try {
      started.get(START_WAIT.toMinutes(), TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new ServerStartException("Metrics (Kamon) could not start: " + e.getCause()
          + "; check the kamon { } block of the config file, or set metrics = off", 1);
    } catch (TimeoutException | InterruptedException e) {
      throw new ServerStartException("Metrics (Kamon) did not start within 2 minutes", 1);
    }
    metrics = Metrics.create(config.get(Settings.METRICS_TICK_INTERVAL), state);
    return Optional.of(metrics);
  }

  /** Runs {@code action} once Kamon has started; never when metrics is off or Kamon failed. */
  public void whenStarted(Runnable action) {
    if (started != null) {
      started.thenRun(action);
    }
  }

  /** The instruments, once {@link #open} created them. */
  public Optional<Metrics> metrics() {
    return Optional.ofNullable(metrics);
  }

  /** Stops sampling and gives Kamon back; idempotent. A Kamon that failed to start is not given back. */
  public void release() {
    if (started == null || released.getAndSet(true)) {
      return;
    }
    Metrics opened = metrics;
    if (opened != null) {
      opened.close();
      return;
    }
    Futures.awaitQuietly(started);
    if (!started.isCompletedExceptionally()) {
      Metrics.releaseKamon();
    }
  }
}
