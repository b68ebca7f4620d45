package dev.narwhal;

import com.typesafe.config.Config;
import dev.narwhal.cluster.ClusterRole;
import dev.narwhal.config.BindAddress;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import dev.narwhal.http.internal.HttpFrontend;
import dev.narwhal.http.internal.Metrics;
import dev.narwhal.http.internal.Traffic;
import dev.narwhal.http.internal.Transport;
import dev.narwhal.config.RawEnvironment;
import dev.narwhal.server.internal.AdminEndpoint;
import dev.narwhal.http.internal.ArbiterStats;
import dev.narwhal.server.internal.Drain;
import dev.narwhal.server.internal.FatalStop;
import dev.narwhal.server.internal.Futures;
import dev.narwhal.server.internal.KamonLease;
import dev.narwhal.server.internal.LocalSerializers;
import dev.narwhal.server.internal.PoolConfig;
import dev.narwhal.server.internal.ServerPools;
import dev.narwhal.http.internal.PoolQueues;
import dev.narwhal.server.internal.PreloadedApps;
import dev.narwhal.http.internal.RootCause;
import dev.narwhal.http.internal.ServerState;
import dev.narwhal.http.internal.Statsd;
import dev.narwhal.supervisor.Arbiter;
import dev.narwhal.supervisor.PoolSettings;
import dev.narwhal.supervisor.Guardian;
import dev.narwhal.supervisor.HeapWatch;
import dev.narwhal.supervisor.HookInvoker;
import java.net.InetSocketAddress;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link Server} starts, in order: check the config's files, build the pool's settings, start
 * Kamon while the workers boot, wait for them, bind, join the cluster, bind the admin API, and
 * only then call {@code whenReady}. Any step that fails undoes the ones before it, so a failed
 * start leaves no thread, socket, Kamon lease or preloaded application behind.
 */
final class ServerBoot {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  /** How long the first pool may take to boot before start gives up. */
  private static final Duration BOOT_WAIT = Duration.ofMinutes(5);
  /** How long binding a socket may take. */
  private static final Duration BIND_WAIT = Duration.ofSeconds(30);

  /** What a started server is made of; nothing in it changes after the start. */
  record Parts(ServerConfig config, Instant startedAt, ActorSystem<Arbiter.Command> system, HttpFrontend frontend,
      List<InetSocketAddress> addresses, Traffic traffic, KamonLease kamon, PreloadedApps preloaded, Drain drain) {}

  private ServerBoot() {}

  /** A standalone server's actor system makes none of the cluster module's serializers. */
  private static Config systemConfig(ClusterRole cluster, ServerConfig config) {
    return cluster == ClusterRole.STANDALONE
        ? LocalSerializers.only(config.source())
        : cluster.actorSystemConfig(config.source());
  }

  static Server start(ServerConfig config, Supplier<? extends Application> app, ServerHooks userHooks,
      Server.Reloader reloader, Runnable reopenLogs) throws ServerStartException {
    Instant startedAt = Instant.now();
    Transport transport = checkTransport(config);
    ClusterRole cluster = clusterRole(config);
    cluster.check();
    HookInvoker hooks = new HookInvoker(userHooks);
    hooks.call("onStarting", ServerHooks::onStarting);
    RawEnvironment.install(config.get(Settings.RAW_ENV));
    PreloadedApps preloaded = new PreloadedApps();
    List<Guardian.Pool> pools;
    try {
      pools = ServerPools.start(config, app, preloaded);
    } catch (ServerStartException e) {
      preloaded.stopAll(); // a named pool's preloaded app failed: the pools before it had started theirs
      throw e;
    }
    PoolSettings pool = pools.get(0).settings();
    KamonLease kamon = KamonLease.acquire(config);
    if (StartupReport.on()) {
      kamon.whenStarted(() -> StartupReport.mark("kamon"));
    }
    if (transport.needsDefaultSslContext()) {
      warmDefaultSslContext();
    }
    FatalStop fatal = new FatalStop();
    // a serving pool whose policy stops the server waits for this graceful stop; set once the server is up
    AtomicReference<Runnable> stopOnFatal = new AtomicReference<>(() -> { });
    ActorSystem<Arbiter.Command> system;
    try {
      system = ActorSystem.create(Guardian.create(pools, userHooks, (reason, status) -> {
        log.error("Shutting down: {}", reason);
        fatal.decide(reason, status);
        stopOnFatal.get().run();
      }), ClusterRole.SYSTEM_NAME, systemConfig(cluster, config));
    } catch (RuntimeException e) {
      preloaded.stopAll();
      kamon.release();
      throw cluster.systemFailed(e);
    }
    StartupReport.mark("actor-system");
    Server server = null;
    Optional<Statsd> statsd = Optional.empty();
    try {
      awaitWorkers(system, fatal);
      StartupReport.mark("workers");
      Drain drain = new Drain(system);
      Optional<Metrics> metrics = kamon.open(() -> ServerState.of(ArbiterStats.get(system), drain.stopping()));
      StartupReport.mark("metrics");
      statsd = Statsd.start(config, () -> ArbiterStats.get(system).byPool().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, byPool -> byPool.getValue().workers().size())));
      Traffic traffic = new Traffic(metrics.orElse(null), statsd.map(Statsd::recorder).orElse(null));
      HttpFrontend frontend = frontend(system, ServerPools.queues(config, pools), config, traffic);
      List<InetSocketAddress> bound = bind(frontend, config);
      StartupReport.mark("bind");
      Parts parts = new Parts(config, startedAt, system, frontend, bound, traffic, kamon, preloaded, drain);
      Server started = server = new Server(parts, reloader, reopenLogs);
      ServerControls controls = new ServerControls(started);
      started.cluster = cluster.join(system, new ServerClusterHost(system, controls, frontend, bound,
          () -> started.admin.address()), () -> {
            started.stop(started.gracefulTimeout());
            return drain.drained();
          });
      started.admin = AdminEndpoint.start(config, system, controls);
      StartupReport.mark("admin");
      Optional<Statsd> sender = statsd;
      // started whatever the threshold: a reload may turn heap recycling on; a reading is one message per GC
      HeapWatch heapWatch = HeapWatch.start(system::tell);
      drain.onTerminated(() -> {
        sender.ifPresent(Statsd::close);
        heapWatch.close();
        started.admin.release();
        kamon.release();
        preloaded.stopAll();
        hooks.call("onExit", ServerHooks::onExit);
      }, () -> fatal.status(0));
      stopOnFatal.set(started::stopAfterFatal);
      if (fatal.isDecided()) {
        started.stopAfterFatal(); // decided while the server was being put together; a second call does nothing
      }
      logListening(config, frontend, bound, pool);
      started.admin.logStarted();
      StartupReport.mark("ready");
      hooks.call("whenReady", ServerHooks::whenReady);
      return started;
    } catch (ServerStartException e) {
      statsd.ifPresent(Statsd::close);
      system.terminate();
      Futures.awaitQuietly(system.getWhenTerminated());
      preloaded.stopAll();
      if (server != null) {
        server.admin.release();
      }
      kamon.release();
      throw e;
    }
  }

  /**
   * A new phase of workers from {@code newConfig} and {@code app}; see {@link Server#reload(ServerConfig, Supplier)}.
   * Only the pool and the certificates change: the sockets stay open, so their settings cannot.
   */
  static void reload(Parts parts, ServerConfig newConfig, Supplier<? extends Application> app)
      throws ServerStartException {
    if (!newConfig.binds().equals(parts.config().binds()) || newConfig.backlog() != parts.config().backlog()) {
      log.warn("Reload keeps the sockets and the backlog as they are; restart to change bind or backlog");
    }
    if (!PoolConfig.concurrencyLimit(newConfig).equals(PoolConfig.concurrencyLimit(parts.config()))) {
      log.warn("Reload keeps the concurrency limit as it is; restart to change concurrency-limit");
    }
    try {
      if (!parts.frontend().reloadCertificates(newConfig)) {
        log.warn("Reload cannot turn HTTPS on or off on open sockets; restart to change certfile to or from none");
      }
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
    parts.system().tell(new Guardian.ReloadPools(ServerPools.reload(parts.config(), newConfig, app,
        parts.preloaded())));
  }

  /** TLS files and protocol settings, checked before any worker boots: a bad key is a config error (status 2). */
  private static Transport checkTransport(ServerConfig config) throws ServerStartException {
    try {
      return Transport.from(config);
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  /**
   * Pekko HTTP gives every cleartext HTTP/2 connection a placeholder TLS session made from the
   * JVM's default SSLContext (Pekko Stream's TLSPlacebo), so the first connection would wait for
   * that context: the security providers and the cacerts trust store, 260 classes and 1 to 2 s on
   * a loaded 2-core machine. Made on a thread of its own while the actor system starts; the JDK
   * keeps it. Plain HTTP/1 binds (the application's and the admin API's) use {@code Plaintext}'s
   * session instead and need no context at all.
   */
  private static void warmDefaultSslContext() {
    Thread warm = new Thread(() -> {
      try {
        SSLContext.getDefault();
      } catch (NoSuchAlgorithmException | RuntimeException e) {
        log.debug("The default SSLContext could not be made ahead of the first connection: {}", e.toString());
      }
    }, "narwhal-tls-warmup");
    warm.setDaemon(true);
    warm.start();
  }

  /** The cluster's part, if the config asks for one: no cluster module on the class path is a config error. */
  private static ClusterRole clusterRole(ServerConfig config) throws ServerStartException {
    try {
      return ClusterRole.forConfig(config);
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  /** Every pool booted; else the start fails (see {@link FatalStop#awaitBooted}). */
  private static void awaitWorkers(ActorSystem<Arbiter.Command> system, FatalStop fatal) throws ServerStartException {
    fatal.awaitBooted(AskPattern.ask(system, Arbiter.AwaitReady::new, BOOT_WAIT, system.scheduler()),
        system.getWhenTerminated(), BOOT_WAIT);
  }

  /** The front end; it reads the TLS files again, which may have changed since checkTransport. */
  private static HttpFrontend frontend(ActorSystem<Arbiter.Command> system, PoolQueues queues, ServerConfig config,
      Traffic traffic) throws ServerStartException {
    try {
      return new HttpFrontend(system, queues, config, traffic);
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  private static List<InetSocketAddress> bind(HttpFrontend frontend, ServerConfig config) throws ServerStartException {
    String binds = String.join(", ", config.binds().stream().map(BindAddress::toString).toList());
    CompletionStage<List<InetSocketAddress>> bound = frontend.bind(config.binds(), config.backlog());
    try {
      return bound.toCompletableFuture().get(BIND_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new ServerStartException("Cannot listen at " + binds + ": " + RootCause.message(e), 1);
    } catch (TimeoutException | InterruptedException e) {
      throw new ServerStartException("Binding " + binds + " did not complete", 1);
    }
  }

  private static void logListening(ServerConfig config, HttpFrontend frontend, List<InetSocketAddress> bound,
      PoolSettings pool) {
    for (int i = 0; i < bound.size(); i++) {
      // the bind as written (0.0.0.0, not the JVM's "0:0:0:0:0:0:0:0"), with the real port
      log.info("Listening at: {}://{} ({} {} workers, pid {})", frontend.scheme(),
          new BindAddress(config.binds().get(i).host(), bound.get(i).getPort()),
          config.workers(), pool.workerClass().settingName(), ProcessHandle.current().pid());
    }
  }
}
