package dev.narwhal.server.internal;

import dev.narwhal.Application;
import dev.narwhal.ServerStartException;
import dev.narwhal.config.NamedPool;
import dev.narwhal.config.PoolRoute;
import dev.narwhal.config.PoolRoutes;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import dev.narwhal.http.internal.PoolQueues;
import dev.narwhal.supervisor.Guardian;
import dev.narwhal.supervisor.PoolSettings;
import dev.narwhal.supervisor.WorkQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The server's worker pools from its config: the default pool (the top-level
 * settings) and each of {@code narwhal.pools}, whose own settings are laid over the top-level ones
 * ({@link NamedPool#applyTo}). A {@code pools.default} entry only routes requests back to the
 * default pool and is no pool of its own.
 */
public final class ServerPools {
  private static final Logger log = LoggerFactory.getLogger("narwhal");

  private ServerPools() {}

  /** The pools to start, the default first, each with its own queue of its own backlog and concurrency limit. */
  public static List<Guardian.Pool> start(ServerConfig config, Supplier<? extends Application> app,
      PreloadedApps preloaded) throws ServerStartException {
    List<Guardian.Pool> pools = new ArrayList<>();
    pools.add(new Guardian.Pool(Guardian.DEFAULT, PoolConfig.from(config, app, preloaded),
        new WorkQueue(config.backlog(), PoolConfig.concurrencyLimit(config)), null));
    for (NamedPool named : named(config)) {
      ServerConfig own = named.applyTo(config);
      log.info("Pool {}: {} {} workers, backlog {}, timeout {} ms; routes: {}", named.name(), own.workers(),
          own.get(Settings.WORKER_CLASS), own.backlog(), own.get(Settings.TIMEOUT).toMillis(),
          named.routes().isEmpty() ? "none" : String.join(", ", named.routes().stream().map(PoolRoute::text).toList()));
      pools.add(new Guardian.Pool(named.name(), PoolConfig.from(own, app, preloaded),
          new WorkQueue(own.backlog(), PoolConfig.concurrencyLimit(own)),
          named.overrides().containsKey(Settings.GRACEFUL_TIMEOUT) ? own.gracefulTimeout() : null));
    }
    return pools;
  }

  /**
   * Every pool's settings from a reloaded config.
   *
   * @throws ServerStartException status 2 when the reload adds or removes a pool: its queue and its
   *     routes are the front end's, fixed at start, so that needs a restart
   */
  public static Map<String, PoolSettings> reload(ServerConfig running, ServerConfig newConfig,
      Supplier<? extends Application> app, PreloadedApps preloaded) throws ServerStartException {
    List<String> before = names(running);
    List<String> after = names(newConfig);
    if (!before.equals(after)) {
      throw new ServerStartException("pools changed: restart needed (running " + before + ", the new config has "
          + after + ")", 2);
    }
    Map<String, PoolSettings> settings = new LinkedHashMap<>();
    settings.put(Guardian.DEFAULT, PoolConfig.from(newConfig, app, preloaded));
    for (NamedPool named : named(newConfig)) {
      ServerConfig own = named.applyTo(newConfig);
      ServerConfig was = named(running).stream().filter(p -> p.name().equals(named.name())).findFirst()
          .orElseThrow().applyTo(running);
      if (own.backlog() != was.backlog()
          || !PoolConfig.concurrencyLimit(own).equals(PoolConfig.concurrencyLimit(was))) {
        log.warn("Reload keeps pool {}'s backlog and concurrency limit; restart to change them", named.name());
      }
      settings.put(named.name(), PoolConfig.from(own, app, preloaded));
    }
    return settings;
  }

  /** The queues the front end routes to. */
  public static PoolQueues queues(ServerConfig config, List<Guardian.Pool> pools) {
    Map<String, WorkQueue> queues = new LinkedHashMap<>();
    pools.forEach(p -> queues.put(p.name(), p.queue()));
    return new PoolQueues(PoolRoutes.of(config.get(Settings.POOLS)), queues);
  }

  /** The pools' names, the default first. */
  public static List<String> names(ServerConfig config) {
    List<String> names = new ArrayList<>(List.of(Guardian.DEFAULT));
    named(config).forEach(p -> names.add(p.name()));
    return names;
  }

  /** The named pools that are pools of their own ({@code pools.default} only routes). */
  private static List<NamedPool> named(ServerConfig config) {
    return config.get(Settings.POOLS).stream().filter(p -> !p.name().equals(PoolRoutes.DEFAULT)).toList();
  }
}
