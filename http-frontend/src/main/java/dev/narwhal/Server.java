package dev.narwhal;

import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.server.internal.AdminEndpoint;
import dev.narwhal.http.internal.ArbiterStats;
import dev.narwhal.cluster.ClusterRole;
import dev.narwhal.http.internal.ServerState;
import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.Guardian;
import dev.narwhal.server.internal.ServerPools;
import dev.narwhal.supervisor.Stats;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Narwhal server: an arbiter with its workers, behind Pekko HTTP. The facade that the
 * CLI and anyone embedding Narwhal (tests included) hold; {@code ServerBoot} wires the parts.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.defaults().withBinds(List.of(BindAddress.parse("127.0.0.1:0")));
 * try (Server server = Server.create(HelloApp::new, config).start()) {
 *   int port = server.port();
 *   ...
 * }
 * }</pre>
 *
 * <p>Besides the application's binds, a server has an admin API on {@code admin-bind} (health,
 * {@code /stats}, {@code /metrics}, thread dumps, control, a live dashboard; see
 * {@link #adminPort()}), and with {@code metrics} on it starts and stops Kamon.
 */
public final class Server implements AutoCloseable {
  /** Narwhal's version. */
  public static final String VERSION = BuildVersion.read();

  /**
   * What {@link #reload()} does: build the new configuration and application and hand them to
   * {@link #reload(ServerConfig, Supplier)}. The CLI re-reads its command line, environment and
   * config file; embedders decide for themselves.
   */
  @FunctionalInterface
  public interface Reloader {
    /** Throws, with a message for the operator, when the new configuration or application is refused. */
    void reload(Server server) throws SettingsException, ServerStartException;
  }

  private static final Logger log = LoggerFactory.getLogger("narwhal");

  // package-private for ServerBoot and ServerControls, the two halves of the wiring
  final ServerBoot.Parts parts;
  private final Reloader reloader;
  private final Runnable reopenLogs;
  // a reload may change these (as gunicorn's HUP does): the next stop and liveness check use the new values
  private volatile Duration gracefulTimeout;
  private volatile Duration shutdownDelay;
  private volatile int maxStuckThreads;
  // set once by ServerBoot, after the server exists (both need it) and before start returns
  volatile Optional<ClusterRole.Node> cluster = Optional.empty();
  volatile AdminEndpoint admin = AdminEndpoint.OFF;

  Server(ServerBoot.Parts parts, Reloader reloader, Runnable reopenLogs) {
    this.parts = parts;
    this.reloader = reloader;
    this.reopenLogs = reopenLogs;
    this.gracefulTimeout = parts.config().gracefulTimeout();
    this.shutdownDelay = parts.config().get(Settings.SHUTDOWN_DELAY);
    this.maxStuckThreads = parts.config().get(Settings.MAX_STUCK_THREADS);
  }

  /**
   * A server to start: {@code Server.create(HelloApp::new, config).start()}, with hooks, a
   * reloader or a log reopener set on the {@link ServerSetup} in between.
   *
   * @param app builds one application instance per worker (one in all with {@code preload-app})
   */
  public static ServerSetup create(Supplier<? extends Application> app, ServerConfig config) {
    return ServerSetup.of(app, config);
  }

  /**
   * {@code create(app, config).start()}: boots the workers, binds every address, and returns once
   * the server serves.
   *
   * @throws ServerStartException when workers cannot boot or an address cannot be bound
   */
  public static Server start(ServerConfig config, Supplier<? extends Application> app) throws ServerStartException {
    return create(app, config).start();
  }

  /** {@code create(app, config).hooks(hooks).start()}. */
  public static Server start(ServerConfig config, Supplier<? extends Application> app, ServerHooks hooks)
      throws ServerStartException {
    return create(app, config).hooks(hooks).start();
  }

  /** {@code create(app, config).hooks(hooks).reloader(reloader).start()}. */
  public static Server start(ServerConfig config, Supplier<? extends Application> app, ServerHooks hooks,
      Reloader reloader) throws ServerStartException {
    return create(app, config).hooks(hooks).reloader(reloader).start();
  }

  /** {@code create(app, config).hooks(hooks).reloader(reloader).reopenLogs(reopenLogs).start()}. */
  public static Server start(ServerConfig config, Supplier<? extends Application> app, ServerHooks hooks,
      Reloader reloader, Runnable reopenLogs) throws ServerStartException {
    return create(app, config).hooks(hooks).reloader(reloader).reopenLogs(reopenLogs).start();
  }

  /** The port of the first bound address (the real one when the bind asked for port 0). */
  public int port() {
    return parts.addresses().get(0).getPort();
  }

  /** Every bound address, in bind order. */
  public List<InetSocketAddress> addresses() {
    return parts.addresses();
  }

  public ServerConfig config() {
    return parts.config();
  }

  /**
   * The admin API's port (the real one when {@code admin-bind} asked for port 0).
   *
   * @throws IllegalStateException when {@code admin-bind} is off
   */
  public int adminPort() {
    return admin.address().orElseThrow(() -> new IllegalStateException("the admin API is off (admin-bind = off)"))
        .getPort();
  }

  /** The file holding the generated admin token; empty when admin-token was given, or the admin API is off. */
  public Optional<Path> adminTokenFile() {
    return admin.tokenFile();
  }

  /** This node's cluster address ({@code pekko://narwhal@host:port}, the real port); empty when the cluster is off. */
  public Optional<String> clusterAddress() {
    return cluster.map(ClusterRole.Node::address);
  }

  /** The id this node's answers to forwarded requests carry in X-Narwhal-Overflow; empty when the cluster is off. */
  public Optional<String> clusterNodeId() {
    return cluster.map(ClusterRole.Node::id);
  }

  /** Whether a stop has been asked for (by a signal, the admin API or {@link #stop}); readiness is off from then. */
  public boolean isStopping() {
    return parts.drain().stopping();
  }

  /** Whether the server is ready: what /health/ready says ({@link ServerState#ready()}). */
  public boolean isReady() {
    // a stopping server is not ready, whether or not the arbiter still answers
    return !parts.drain().stopping() && ServerState.of(stats(), parts.drain().stopping()).ready();
  }

  /**
   * A snapshot of the worker pools: the top-level figures are the default pool's (as before named
   * pools existed); {@link Stats#pools()} has every pool's by name, the default's included.
   */
  public Stats stats() {
    return ArbiterStats.get(parts.system());
  }

  /** One more worker (what SIGTTIN does). */
  public void scaleUp() {
    parts.system().tell(Arbiter.ScaleUp.INSTANCE);
  }

  /** One fewer worker, never below one; the oldest retires gracefully (what SIGTTOU does). */
  public void scaleDown() {
    parts.system().tell(Arbiter.ScaleDown.INSTANCE);
  }

  /** The worker pools' names: {@code default}, then those of {@code narwhal.pools}. */
  public List<String> pools() {
    return ServerPools.names(parts.config());
  }

  /**
   * One more worker in the pool named {@code pool} (a signal cannot name a pool: SIGTTIN scales the
   * default one).
   *
   * @throws IllegalArgumentException when there is no such pool
   */
  public void scaleUp(String pool) {
    parts.system().tell(new Guardian.ToPool(known(pool), Arbiter.ScaleUp.INSTANCE));
  }

  /**
   * One fewer worker in the pool named {@code pool}, never below one.
   *
   * @throws IllegalArgumentException when there is no such pool
   */
  public void scaleDown(String pool) {
    parts.system().tell(new Guardian.ToPool(known(pool), Arbiter.ScaleDown.INSTANCE));
  }

  private String known(String pool) {
    if (!pools().contains(pool)) {
      throw new IllegalArgumentException("no pool named '" + pool + "' (pools: " + String.join(", ", pools()) + ")");
    }
    return pool;
  }

  /**
   * Sends {@code message} through the arbiter to every serving worker: each worker's extension and
   * application instance get it once, in {@code onMessage}, on one of the worker's threads between
   * requests ("drop your cache"). Fire and forget; a worker booting meanwhile starts fresh anyway.
   */
  public void broadcast(Object message) {
    parts.system().tell(new Arbiter.Broadcast(message));
  }

  /**
   * Reload as SIGHUP does: runs the {@link Reloader} given at start (by default: this server's
   * configuration and application again). A refused configuration or application is logged and
   * thrown; the current workers keep serving.
   */
  public void reload() throws SettingsException, ServerStartException {
    try {
      reloader.reload(this);
    } catch (SettingsException | ServerStartException e) {
      log.error("Reload aborted, the current workers keep serving: {}", e.getMessage());
      throw e;
    }
  }

  /**
   * Rolling reload (what SIGHUP does): a new phase of workers with {@code newConfig}'s pool settings
   * and {@code app}, replacing the old ones one at a time, each only after its successor booted.
   * Sockets and the backlog stay as they are; a change to them needs a restart. With HTTPS,
   * keyfile and certfile are read again for new connections (a renewed certificate needs no restart).
   *
   * @throws ServerStartException when a preloaded application fails to start (the old phase keeps serving)
   */
  public void reload(ServerConfig newConfig, Supplier<? extends Application> app) throws ServerStartException {
    ServerBoot.reload(parts, newConfig, app);
    gracefulTimeout = newConfig.gracefulTimeout();
    shutdownDelay = newConfig.get(Settings.SHUTDOWN_DELAY);
    maxStuckThreads = newConfig.get(Settings.MAX_STUCK_THREADS);
  }

  /** Reopens the log files (what SIGUSR1 does, for logrotate): whatever was given at start; nothing otherwise. */
  public void reopenLogs() {
    reopenLogs.run();
  }

  /** How long a graceful stop waits: graceful-timeout as of the start or the last reload. */
  public Duration gracefulTimeout() {
    return gracefulTimeout;
  }

  /**
   * Stops without losing accepted requests: stop accepting connections, serve every request already
   * received (waiting ones included) for up to {@code within}, answer what is left 503, stop the
   * workers. {@link Duration#ZERO} is a quick stop. A graceful stop first serves on for
   * {@code shutdown-delay} with readiness off. Completes with the exit status.
   */
  public CompletionStage<Integer> stop(Duration within) {
    return stop(within, shutdownDelay);
  }

  /**
   * The stop a supervision policy's decision to stop the server starts, once the pools serve:
   * graceful, as gunicorn's halt is, so the other workers' requests and the failed one's 500 are
   * answered; without shutdown-delay, which is for planned stops behind a load balancer.
   */
  void stopAfterFatal() {
    stop(gracefulTimeout, Duration.ZERO);
  }

  private CompletionStage<Integer> stop(Duration within, Duration delay) {
    return parts.drain().stop(within, delay, parts.frontend(),
        w -> cluster.map(node -> node.leave(w)).orElseGet(() -> CompletableFuture.completedFuture(null)),
        () -> admin.closeConnections());
  }

  /** Graceful stop with the configured {@code graceful-timeout}; blocks until stopped. */
  @Override
  public void close() {
    stop(gracefulTimeout).toCompletableFuture().join();
  }

  /**
   * Completes with the process exit status once the server has stopped: 3 when workers could not
   * boot, or the status a supervision policy stopped the server with.
   */
  public CompletionStage<Integer> whenTerminated() {
    return parts.drain().exitStatus();
  }

  /** The front end's request counts; for tests in this package, which need an exact "received". */
  Traffic traffic() {
    return parts.traffic();
  }

  /** The front end's open HTTP/1 connections; for tests in this package, which check none leaks. */
  int openConnections() {
    return parts.frontend().openConnections();
  }

  int maxStuckThreads() {
    return maxStuckThreads;
  }
}
