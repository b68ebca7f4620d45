package dev.narwhal;

import dev.narwhal.config.ServerConfig;
import java.util.function.Supplier;

/**
 * A server not started yet: what {@link Server#create} returns, so a start reads as a sentence,
 * {@code Server.create(HelloApp::new, config).hooks(hooks).start()}. Each call returns a new
 * setup, so one can be shared and varied; nothing here is read again once {@link #start} returns.
 */
public final class ServerSetup {
  private final Supplier<? extends Application> app;
  private final ServerConfig config;
  private final ServerHooks hooks;
  private final Server.Reloader reloader;
  private final Runnable reopenLogs;

  private ServerSetup(Supplier<? extends Application> app, ServerConfig config, ServerHooks hooks,
      Server.Reloader reloader, Runnable reopenLogs) {
    this.app = app;
    this.config = config;
    this.hooks = hooks;
    this.reloader = reloader;
    this.reopenLogs = reopenLogs;
  }

  /**
   * By default: no hooks, a reload rebuilds {@code app} with the same configuration, and reopening
   * logs does nothing (an embedder's logging is its own).
   */
  static ServerSetup of(Supplier<? extends Application> app, ServerConfig config) {
    return new ServerSetup(app, config, ServerHooks.NONE, server -> server.reload(server.config(), app), () -> { });
  }

  /** The server hooks ({@code onStarting}, {@code whenReady}, ...). */
  public ServerSetup hooks(ServerHooks hooks) {
    return new ServerSetup(app, config, hooks, reloader, reopenLogs);
  }

  /** What {@link Server#reload()} (SIGHUP, {@code POST /control/reload}) does. */
  public ServerSetup reloader(Server.Reloader reloader) {
    return new ServerSetup(app, config, hooks, reloader, reopenLogs);
  }

  /** What {@link Server#reopenLogs()} (SIGUSR1, {@code POST /control/reopen-logs}) does. */
  public ServerSetup reopenLogs(Runnable reopenLogs) {
    return new ServerSetup(app, config, hooks, reloader, reopenLogs);
  }

  /**
   * Boots the workers, binds every address, and returns once the server serves.
   *
   * @throws ServerStartException when workers cannot boot or an address cannot be bound
   */
  public Server start() throws ServerStartException {
    return ServerBoot.start(config, app, hooks, reloader, reopenLogs);
  }
}
