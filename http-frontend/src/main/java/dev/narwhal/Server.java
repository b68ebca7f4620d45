package dev.narwhal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.narwhal.admin.internal.AdminControls;
import dev.narwhal.admin.internal.AdminServer;
import dev.narwhal.admin.internal.AdminToken;
import dev.narwhal.cluster.internal.ClusterMembership;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import dev.narwhal.http.internal.AppResolver;
import dev.narwhal.http.internal.HttpFrontend;
import dev.narwhal.http.internal.Metrics;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.http.internal.Transport;
import dev.narwhal.internal.RawEnvironment;
import dev.narwhal.spi.WorkerExtension;
import dev.narwhal.supervisor.ApplicationSource;
import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.PoolSettings;
import dev.narwhal.supervisor.RecyclePolicy;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkQueue;
import dev.narwhal.supervisor.WorkerClass;
import dev.narwhal.supervisor.cluster.NodeAgent;
import dev.narwhal.supervisor.cluster.NodeReport;
import dev.narwhal.supervisor.cluster.PekkoClusterConfig;
import dev.narwhal.supervisor.internal.HookInvoker;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Narwhal server: an arbiter with its workers, behind Pekko HTTP. The composition root,
 * used by the CLI and by anyone embedding Narwhal (tests included).
 *
 * <pre>{@code
 * try (Server server = Server.start(ServerConfig.defaults().withBinds(List.of(BindAddress.parse("127.0.0.1:0"))),
 *     HelloApp::new)) {
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
  public static final String VERSION = "0.1.0";

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
  /** How long the first pool may take to boot before start gives up. */
  private static final Duration BOOT_WAIT = Duration.ofMinutes(5);
  /** How long a stopping server lets admin responses in flight reach their clients. */
  private static final Duration ADMIN_CLOSE = Duration.ofSeconds(2);
  /**
   * How long a closed connection's last bytes get to reach the socket before the actor system
   * goes: its stream has finished, but Pekko's TCP actor may still be writing, and terminating
   * the system under it resets the connection.
   */
  private static final Duration SOCKET_FLUSH = Duration.ofMillis(200);

  private final ServerConfig config;
  // a reload may change graceful-timeout (as gunicorn's HUP does); the next stop uses the new value
  private volatile Duration gracefulTimeout;
  // likewise max-stuck-threads: the next liveness check uses the new value
  private volatile int maxStuckThreads;
  private final ActorSystem<Arbiter.Command> system;
  private final HttpFrontend frontend;
  private final List<InetSocketAddress> addresses;
  private final CompletableFuture<Integer> exitStatus = new CompletableFuture<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Preloaded preloaded;
  private final Instant startedAt;
  private final Traffic traffic;
  private final Metrics metrics;
  private final Reloader reloader;
  private final Runnable reopenLogs;
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private ClusterMembership cluster;
  private AdminServer admin;
  private InetSocketAddress adminAddress;
  private Path adminTokenFile;

  private Server(ServerConfig config, Instant startedAt, ActorSystem<Arbiter.Command> system, HttpFrontend frontend,
      List<InetSocketAddress> addresses, Preloaded preloaded, Traffic traffic, Metrics metrics, Reloader reloader,
      Runnable reopenLogs) {
    this.config = config;
    this.gracefulTimeout = config.gracefulTimeout();
    this.maxStuckThreads = config.get(Settings.MAX_STUCK_THREADS);
    this.startedAt = startedAt;
    this.system = system;
    this.frontend = frontend;
    this.addresses = List.copyOf(addresses);
    this.preloaded = preloaded;
    this.traffic = traffic;
    this.metrics = metrics;
    this.reloader = reloader;
    this.reopenLogs = reopenLogs;
  }

  /** Once started: when the actor system is gone, release everything and report the exit status. */
  private void onTerminated(CompletionStage<String> fatal, HookInvoker hooks) {
    system.getWhenTerminated().whenComplete((done, error) -> {
      releaseAdminAndMetrics();
      preloaded.stopAll();
      hooks.call("onExit", ServerHooks::onExit);
      exitStatus.complete(fatal.toCompletableFuture().isDone() ? 3 : 0);
    });
  }

  /**
   * Boots the workers, binds every address, and returns once the server serves.
   *
   * @param app builds one application instance per worker
   * @throws ServerStartException when workers cannot boot or an address cannot be bound
   */
  public static Server start(ServerConfig config, Supplier<? extends Application> app) throws ServerStartException {
    return start(config, app, ServerHooks.NONE);
  }

  /**
   * Like {@link #start(ServerConfig, Supplier)}, with server hooks.
   *
   * @throws ServerStartException when workers cannot boot or an address cannot be bound
   */
  public static Server start(ServerConfig config, Supplier<? extends Application> app, ServerHooks userHooks)
      throws ServerStartException {
    return start(config, app, userHooks, server -> server.reload(server.config(), app));
  }

  /**
   * Like {@link #start(ServerConfig, Supplier, ServerHooks)}, with what {@link #reload()} (SIGHUP,
   * {@code POST /control/reload}) does.
   *
   * @throws ServerStartException when workers cannot boot or an address cannot be bound
   */
  public static Server start(ServerConfig config, Supplier<? extends Application> app, ServerHooks userHooks,
      Reloader reloader) throws ServerStartException {
    return start(config, app, userHooks, reloader, () -> { }); // an embedder's logging is its own
  }

  /**
   * Like {@link #start(ServerConfig, Supplier, ServerHooks, Reloader)}, with what
   * {@link #reopenLogs()} (SIGUSR1, {@code POST /control/reopen-logs}) does: the CLI reopens its log
   * files.
   *
   * @throws ServerStartException when workers cannot boot or an address cannot be bound
   */
  public static Server start(ServerConfig config, Supplier<? extends Application> app, ServerHooks userHooks,
      Reloader reloader, Runnable reopenLogs) throws ServerStartException {
    Instant startedAt = Instant.now();
    checkTransport(config);
    checkClusterTransport(config);
    HookInvoker hooks = new HookInvoker(userHooks);
    hooks.call("onStarting", ServerHooks::onStarting);
    RawEnvironment.install(config.get(Settings.RAW_ENV));
    WorkQueue queue = new WorkQueue(config.backlog());
    Preloaded preloaded = new Preloaded();
    PoolSettings pool = poolSettings(config, app, preloaded);
    Duration tick = config.get(Settings.METRICS_TICK_INTERVAL);
    // Kamon's first start in a JVM loads thousands of classes: it happens while the workers boot
    CompletableFuture<Void> kamon = config.get(Settings.METRICS)
        ? CompletableFuture.runAsync(() -> Metrics.acquireKamon(config.source(), tick))
        : null;
    CompletableFuture<String> fatal = new CompletableFuture<>();
    fatal.thenAccept(reason -> log.error("Shutting down: {}", reason));
    ActorSystem<Arbiter.Command> system;
    try {
      system = ActorSystem.create(
          Arbiter.create(pool, queue, userHooks, fatal::complete), PekkoClusterConfig.SYSTEM_NAME, pekkoConfig(config));
    } catch (RuntimeException e) {
      if (!clusterEnabled(config)) {
        throw e;
      }
      // a cluster node's actor system binds its remoting port as it starts: a taken port lands here
      preloaded.stopAll();
      if (kamon != null) {
        awaitQuietly(kamon);
        if (!kamon.isCompletedExceptionally()) {
          Metrics.releaseKamon();
        }
      }
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new ServerStartException("Cannot start the cluster node at "
          + config.get(Settings.CLUSTER_BIND).orElse(PekkoClusterConfig.DEFAULT_BIND) + " (cluster.bind): "
          + cause.getMessage() + "; give another --cluster-bind", 1);
    }
    Server server = null;
    Metrics metrics = null;
    try {
      awaitWorkers(system);
      if (kamon != null) {
        awaitKamon(kamon);
        metrics = Metrics.create(tick, () -> statsOf(system));
      }
      Traffic traffic = new Traffic(metrics);
      HttpFrontend frontend = frontend(system, queue, config, traffic);
      List<InetSocketAddress> bound = bind(frontend, config);
      server = new Server(config, startedAt, system, frontend, bound, preloaded, traffic, metrics, reloader,
          reopenLogs);
      if (clusterEnabled(config)) {
        Server node = server;
        server.cluster = ClusterMembership.start(system, server.new Agent(queue), config, () -> {
          node.stop(node.gracefulTimeout());
          return node.drained();
        });
        server.cluster.overflow().ifPresent(frontend::overflowTo);
      }
      server.startAdmin();
      server.onTerminated(fatal, hooks);
      for (int i = 0; i < bound.size(); i++) {
        // the bind as written (0.0.0.0, not the JVM's "0:0:0:0:0:0:0:0"), with the real port
        log.info("Listening at: {}://{} ({} {} workers, pid {})", frontend.scheme(),
            new BindAddress(config.binds().get(i).host(), bound.get(i).getPort()),
            config.workers(), pool.workerClass().settingName(), ProcessHandle.current().pid());
      }
      server.logAdmin();
      hooks.call("whenReady", ServerHooks::whenReady);
      return server;
    } catch (ServerStartException e) {
      system.terminate();
      awaitQuietly(system.getWhenTerminated());
      preloaded.stopAll();
      if (server != null) {
        server.releaseAdminAndMetrics();
      } else if (metrics != null) {
        metrics.close();
      } else if (kamon != null && !kamon.isCompletedExceptionally()) {
        awaitQuietly(kamon);
        Metrics.releaseKamon();
      }
      throw e;
    }
  }

  /** The front end; it reads the TLS files again, which may have changed since checkTransport. */
  private static HttpFrontend frontend(ActorSystem<Arbiter.Command> system, WorkQueue queue, ServerConfig config,
      Traffic traffic) throws ServerStartException {
    try {
      return new HttpFrontend(system, queue, config, traffic);
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  /** TLS files and protocol settings, checked before any worker boots: a bad key is a config error (status 2). */
  private static void checkTransport(ServerConfig config) throws ServerStartException {
    try {
      Transport.from(config);
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  /** The cluster's TLS files, or plain TCP on a reachable address: a config error (status 2) before anything starts. */
  private static void checkClusterTransport(ServerConfig config) throws ServerStartException {
    if (!clusterEnabled(config)) {
      return;
    }
    try {
      PekkoClusterConfig.transport(config, clusterBind(config));
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  private static BindAddress clusterBind(ServerConfig config) {
    return config.get(Settings.CLUSTER_BIND).orElse(PekkoClusterConfig.DEFAULT_BIND);
  }

  /** Whether this server is a cluster node: cluster.enabled, or a cluster.bind given. */
  static boolean clusterEnabled(ServerConfig config) {
    return config.get(Settings.CLUSTER_ENABLED) || config.get(Settings.CLUSTER_BIND).isPresent();
  }

  /**
   * The actor system's configuration: the merged one as is, or, for a cluster node, with the
   * cluster provider, remoting address, seeds and roles over it. A node's graceful stop runs inside
   * Pekko's coordinated shutdown when the node leaves or is downed, so that phase may take as long
   * as the graceful timeout.
   */
  private static Config pekkoConfig(ServerConfig config) {
    if (!clusterEnabled(config)) {
      return config.source(); // no remoting, the local provider: exactly as without a cluster
    }
    Duration drain = config.gracefulTimeout().plus(Duration.ofSeconds(15));
    return PekkoClusterConfig.overlay(clusterBind(config), config.get(Settings.CLUSTER_SEED_NODES),
            config.get(Settings.CLUSTER_ROLES))
        .withFallback(PekkoClusterConfig.transport(config, clusterBind(config)))
        .withFallback(ConfigFactory.parseMap(Map.of(
            "pekko.coordinated-shutdown.phases.before-service-unbind.timeout", drain.toMillis() + "ms")))
        .withFallback(config.source());
  }

  private static void awaitKamon(CompletableFuture<Void> kamon) throws ServerStartException {
    try {
      kamon.get(2, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw new ServerStartException("Metrics (Kamon) could not start: " + e.getCause()
          + "; check the kamon { } block of the config file, or set metrics = off", 1);
    } catch (TimeoutException | InterruptedException e) {
      throw new ServerStartException("Metrics (Kamon) did not start within 2 minutes", 1);
    }
  }

  private static Stats statsOf(ActorSystem<Arbiter.Command> system) {
    try {
      return AskPattern.<Arbiter.Command, Stats>ask(system, Arbiter.GetStats::new, Duration.ofSeconds(5),
          system.scheduler()).toCompletableFuture().get(6, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("stats did not answer", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Binds the admin API (unless admin-bind is off) and, when no admin-token is configured, writes a
   * fresh one where only this user can read it. Binding failure stops the start like any bind
   * failure: a second server silently without its admin API would let {@code narwhal ctl} talk to
   * the first one.
   */
  private void startAdmin() throws ServerStartException {
    Optional<BindAddress> at = config.get(Settings.ADMIN_BIND);
    if (at.isEmpty()) {
      return;
    }
    String configured = config.get(Settings.ADMIN_TOKEN);
    String token = configured.isBlank() ? AdminToken.generate() : configured.strip();
    List<String> allowedHosts = new ArrayList<>(config.get(Settings.ADMIN_ALLOWED_HOSTS));
    // the bind's own name (admin.internal:9191) is how its clients reach it; IP literals pass anyway
    allowedHosts.add(at.get().host().toLowerCase(Locale.ROOT));
    admin = new AdminServer(new Controls(), token, config.get(Settings.ADMIN_READ_AUTH), allowedHosts);
    try {
      adminAddress = admin.bind(system, at.get()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new ServerStartException("Cannot listen at " + at.get() + " (admin-bind): " + cause.getMessage()
          + "; give another --admin-bind, or off", 1);
    } catch (TimeoutException | InterruptedException e) {
      throw new ServerStartException("Binding " + at.get() + " (admin-bind) did not complete", 1);
    }
    if (configured.isBlank()) {
      Optional<Path> chosen = config.get(Settings.ADMIN_TOKEN_FILE);
      Path file = chosen.orElseGet(() -> AdminToken.defaultFile(adminAddress.getPort(), System.getenv()));
      try {
        AdminToken.write(file, token, chosen.isPresent());
      } catch (IOException e) {
        throw new ServerStartException("Cannot write the admin token to " + file + ": " + e.getMessage(), 1);
      }
      adminTokenFile = file;
    }
  }

  private void logAdmin() {
    if (adminAddress != null) {
      log.info("Admin API at: http://{}:{} (dashboard /, /metrics, /stats, /health/ready; control token {})",
          adminAddress.getHostString(), adminAddress.getPort(),
          adminTokenFile == null ? "from admin-token" : "in " + adminTokenFile.toAbsolutePath());
    }
  }

  /** Stops sampling metrics and the admin's control thread, and removes a token file we wrote. */
  private void releaseAdminAndMetrics() {
    if (admin != null) {
      admin.close();
    }
    if (adminTokenFile != null) {
      try {
        Files.deleteIfExists(adminTokenFile);
      } catch (IOException e) {
        log.warn("Could not remove the admin token file {}: {}", adminTokenFile, e.getMessage());
      }
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  /**
   * The pool's settings from the config. With {@code preload-app} one instance is built and started
   * here, before any worker, and shared; otherwise each worker builds its own.
   */
  private static PoolSettings poolSettings(ServerConfig config, Supplier<? extends Application> app,
      Preloaded preloaded) throws ServerStartException {
    ApplicationSource source;
    if (config.get(Settings.PRELOAD_APP)) {
      log.info("Preloading the application: one instance shared by all workers (preload-app on)");
      source = preloaded.start(app);
    } else {
      log.info("Each worker builds its own application instance (preload-app off)");
      source = ApplicationSource.perWorker(app);
    }
    RecyclePolicy recycle = new RecyclePolicy(config.get(Settings.MAX_REQUESTS),
        config.get(Settings.MAX_REQUESTS_JITTER), RandomGenerator.getDefault());
    String workerClass = config.get(Settings.WORKER_CLASS);
    Supplier<? extends WorkerExtension> extension = PoolSettings.NO_EXTENSION;
    if (workerClass.contains(".")) {
      try {
        extension = AppResolver.workerExtension(workerClass, config.classpath());
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
        config.get(Settings.BOOT_TIMEOUT), extension);
  }

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

  private static void awaitWorkers(ActorSystem<Arbiter.Command> system) throws ServerStartException {
    Arbiter.Readiness readiness = get(
        AskPattern.ask(system, Arbiter.AwaitReady::new, BOOT_WAIT, system.scheduler()), BOOT_WAIT,
        "workers did not boot within " + BOOT_WAIT.toMinutes() + " minutes", 3);
    if (readiness instanceof Arbiter.BootFailure failure) {
      throw new ServerStartException("Worker failed to boot: " + failure.reason(), 3);
    }
  }

  private static List<InetSocketAddress> bind(HttpFrontend frontend, ServerConfig config) throws ServerStartException {
    try {
      return frontend.bind(config.binds(), config.backlog()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      throw new ServerStartException("Cannot listen at " + describe(config.binds()) + ": " + cause.getMessage(), 1);
    } catch (TimeoutException | InterruptedException e) {
      throw new ServerStartException("Binding " + describe(config.binds()) + " did not complete", 1);
    }
  }

  private static String describe(List<BindAddress> binds) {
    return binds.stream().map(BindAddress::toString).reduce((a, b) -> a + ", " + b).orElse("");
  }

  /** The port of the first bound address (the real one when the bind asked for port 0). */
  public int port() {
    return addresses.get(0).getPort();
  }

  /** Every bound address, in bind order. */
  public List<InetSocketAddress> addresses() {
    return addresses;
  }

  public ServerConfig config() {
    return config;
  }

  /**
   * The admin API's port (the real one when {@code admin-bind} asked for port 0).
   *
   * @throws IllegalStateException when {@code admin-bind} is off
   */
  public int adminPort() {
    if (adminAddress == null) {
      throw new IllegalStateException("the admin API is off (admin-bind = off)");
    }
    return adminAddress.getPort();
  }

  /**
   * This node's cluster address ({@code pekko://narwhal@host:port}, the real port when
   * cluster.bind asked for port 0); empty when the cluster is off.
   */
  public Optional<String> clusterAddress() {
    return Optional.ofNullable(cluster).map(ClusterMembership::selfAddress);
  }

  /** The id this node's answers to forwarded requests carry in X-Narwhal-Overflow; empty when the cluster is off. */
  public Optional<String> clusterNodeId() {
    return Optional.ofNullable(cluster).map(ClusterMembership::selfId);
  }

  /** The file holding the generated admin token; empty when admin-token was given, or the admin API is off. */
  public Optional<Path> adminTokenFile() {
    return Optional.ofNullable(adminTokenFile);
  }

  /** Whether the server is ready: not stopping, and the target number of workers booted (what /health/ready says). */
  public boolean isReady() {
    if (stopping.get()) {
      return false;
    }
    Stats stats = stats();
    return !stopping.get() && stats.bootedWorkers() >= stats.targetWorkers();
  }

  /** The front end's request counts; for tests in this package, which need an exact "received". */
  Traffic traffic() {
    return traffic;
  }

  /** The front end's open HTTP/1 connections; for tests in this package, which check none leaks. */
  int openConnections() {
    return frontend.openConnections();
  }

  /** A snapshot of the worker pool. */
  public Stats stats() {
    try {
      return get(AskPattern.ask(system, Arbiter.GetStats::new, Duration.ofSeconds(5), system.scheduler()),
          Duration.ofSeconds(5), "stats did not answer", 1);
    } catch (ServerStartException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  /** One more worker (what SIGTTIN does). */
  public void scaleUp() {
    system.tell(Arbiter.ScaleUp.INSTANCE);
  }

  /** One fewer worker, never below one; the oldest retires gracefully (what SIGTTOU does). */
  public void scaleDown() {
    system.tell(Arbiter.ScaleDown.INSTANCE);
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
   * Reopens the log files (what SIGUSR1 does, for logrotate): whatever was given to
   * {@link #start(ServerConfig, Supplier, ServerHooks, Reloader, Runnable)}; nothing otherwise.
   */
  public void reopenLogs() {
    reopenLogs.run();
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
    if (!newConfig.binds().equals(config.binds()) || newConfig.backlog() != config.backlog()) {
      log.warn("Reload keeps the sockets and the backlog as they are; restart to change bind or backlog");
    }
    try {
      if (!frontend.reloadCertificates(newConfig)) {
        log.warn("Reload cannot turn HTTPS on or off on open sockets; restart to change certfile to or from none");
      }
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
    system.tell(new Arbiter.Reload(poolSettings(newConfig, app, preloaded)));
    gracefulTimeout = newConfig.gracefulTimeout();
    maxStuckThreads = newConfig.get(Settings.MAX_STUCK_THREADS);
  }

  /** How long a graceful stop waits: graceful-timeout as of the start or the last reload. */
  public Duration gracefulTimeout() {
    return gracefulTimeout;
  }

  /**
   * Stops without losing accepted requests: stop accepting connections, serve every request already
   * received (waiting ones included) for up to {@code within}, answer what is left 503, stop the
   * workers. {@link Duration#ZERO} is a quick stop. Completes with the exit status.
   */
  public CompletionStage<Integer> stop(Duration within) {
    if (stopping.compareAndSet(false, true)) {
      log.info("Shutting down: {}", within.isZero() ? "quick" : "graceful, up to " + within.toSeconds() + " s");
      // a cluster node leaves first, still serving, so that no node sends it work while it drains
      CompletionStage<Void> left = cluster == null ? CompletableFuture.completedFuture(null)
          : cluster.leave(within.isZero() ? Duration.ZERO : ClusterMembership.LEAVE_WAIT);
      left.whenComplete((ok, leaveError) -> drain(within));
    } else if (within.isZero()) {
      log.info("Shutting down: quick (escalated)");
      system.tell(new Arbiter.GracefulStop(Duration.ZERO, new CompletableFuture<>(), system.ignoreRef()));
    }
    return exitStatus;
  }

  private void drain(Duration within) {
    // the front end's hard deadline comes after ours, so the 503s we send at the deadline still go out
    CompletionStage<Void> frontendClosed = frontend.terminate(within.plus(Duration.ofSeconds(1)));
    AskPattern.<Arbiter.Command, Arbiter.Drained>ask(system,
            replyTo -> new Arbiter.GracefulStop(within, frontendClosed, replyTo),
            within.plus(Duration.ofSeconds(10)), system.scheduler())
        .handle((done, error) -> null)
        .thenCombine(frontendClosed.handle((closed, error) -> null), (a, b) -> null)
        .thenCompose(closed -> CompletableFuture.runAsync(() -> { },
            CompletableFuture.delayedExecutor(SOCKET_FLUSH.toMillis(), TimeUnit.MILLISECONDS)))
        .thenCompose(flushed -> adminClosed())
        .whenComplete((closed, e) -> {
          drained.complete(null);
          system.terminate();
        });
  }

  /**
   * Completes once a stop has answered what it accepted and closed the admin API, just before the
   * actor system terminates: what a cluster node's coordinated shutdown waits for.
   */
  CompletionStage<Void> drained() {
    return drained;
  }

  /** Closes the admin API's connections (bounded), so the reply to a ctl stop is not cut off. */
  private CompletionStage<Void> adminClosed() {
    if (admin == null) {
      return CompletableFuture.completedFuture(null);
    }
    // Pekko's own deadline bounds this already; the extra second only guards against it never completing
    return admin.terminate(ADMIN_CLOSE).toCompletableFuture()
        .completeOnTimeout(null, ADMIN_CLOSE.plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Graceful stop with the configured {@code graceful-timeout}; blocks until stopped. */
  @Override
  public void close() {
    stop(gracefulTimeout).toCompletableFuture().join();
  }

  /** Completes with the process exit status once the server has stopped (3 when workers could not boot). */
  public CompletionStage<Integer> whenTerminated() {
    return exitStatus;
  }

  /** The admin API's view of this server. */
  private final class Controls implements AdminControls {
    @Override
    public CompletionStage<Stats> stats() {
      return AskPattern.ask(system, Arbiter.GetStats::new, Duration.ofSeconds(5), system.scheduler());
    }

    @Override
    public boolean stopping() {
      return stopping.get();
    }

    @Override
    public Instant startedAt() {
      return startedAt;
    }

    @Override
    public String version() {
      return VERSION;
    }

    @Override
    public int maxStuckThreads() {
      return maxStuckThreads;
    }

    @Override
    public Traffic traffic() {
      return traffic;
    }

    @Override
    public Optional<Metrics> metrics() {
      return Optional.ofNullable(metrics);
    }

    @Override
    public Duration gracefulTimeout() {
      return gracefulTimeout;
    }

    @Override
    public void stop(boolean quick) {
      Server.this.stop(quick ? Duration.ZERO : gracefulTimeout);
    }

    @Override
    public void scale(int delta) {
      for (int i = 0; i < Math.abs(delta); i++) {
        if (delta > 0) {
          scaleUp();
        } else {
          scaleDown();
        }
      }
    }

    @Override
    public void reload() throws Exception {
      Server.this.reload();
    }

    @Override
    public void reopenLogs() {
      Server.this.reopenLogs();
    }

    @Override
    public Optional<ClusterMembership> cluster() {
      return Optional.ofNullable(cluster);
    }
  }

  /** What the cluster asks of this server: its report, and a rolling reload of its workers. */
  private final class Agent implements NodeAgent {
    private final WorkQueue queue;

    Agent(WorkQueue queue) {
      this.queue = queue;
    }

    @Override
    public CompletionStage<NodeReport> report(String address) {
      Controls controls = new Controls();
      return controls.stats().thenApply(stats -> {
        Map<String, Long> responses = new java.util.LinkedHashMap<>();
        for (int c = 2; c <= 5; c++) {
          responses.put(c + "xx", traffic.responses(c));
        }
        String state = stopping.get() ? "stopping" : stats.bootedWorkers() >= stats.targetWorkers() ? "serving" : "booting";
        return new NodeReport(address, VERSION, ProcessHandle.current().pid(), startedAt, state,
            addresses.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList(),
            adminAddress == null ? "" : adminAddress.getHostString() + ":" + adminAddress.getPort(),
            stats, traffic.requests(), responses, traffic.inFlight(), traffic.overflowed());
      });
    }

    @Override
    public int idleCapacity() {
      return frontend.overflowCapacity();
    }

    @Override
    public CompletionStage<Response> serveForwarded(Request request, Duration wait) {
      return frontend.serveForwarded(request, wait);
    }

    @Override
    public CompletionStage<Void> reload() {
      return ClusterMembership.reloadAndWait(Server.this::stats, () -> {
        try {
          Server.this.reload();
        } catch (SettingsException | ServerStartException e) {
          throw new IllegalStateException(e.getMessage());
        }
      });
    }
  }

  private static <T> T get(CompletionStage<T> stage, Duration timeout, String what, int status)
      throws ServerStartException {
    try {
      return stage.toCompletableFuture().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ServerStartException(what, status);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerStartException(what + " (interrupted)", status);
    }
  }

  /**
   * Preloaded application instances: started before the workers, stopped once after the last
   * worker (a reload may add one per phase).
   */
  private static final class Preloaded {
    private final List<Application> started = new CopyOnWriteArrayList<>();

    /** Starts one instance; the source stops it once the arbiter retires its phase, or stopAll does. */
    ApplicationSource start(Supplier<? extends Application> app) throws ServerStartException {
      Application instance;
      try {
        instance = app.get();
        instance.onStart();
      } catch (Exception | LinkageError e) {
        throw new ServerStartException("The preloaded application failed to start: " + e, 3);
      }
      started.add(instance);
      return ApplicationSource.shared(instance, () -> {
        if (stop(instance)) {
          log.info("Stopped the preloaded application of a replaced phase: no worker uses it any more");
        }
      });
    }

    /** Runs the instance's onStop unless it already ran; whether it ran now. */
    private boolean stop(Application instance) {
      if (!started.remove(instance)) {
        return false;
      }
      try {
        instance.onStop();
      } catch (Exception e) {
        log.warn("Preloaded application onStop failed", e);
      }
      return true;
    }

    void stopAll() {
      started.forEach(this::stop);
    }
  }

  private static void awaitQuietly(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort while failing to start
    }
  }
}
