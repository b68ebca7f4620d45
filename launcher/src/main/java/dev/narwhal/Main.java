package dev.narwhal;

import dev.narwhal.ctl.internal.Ctl;
import dev.narwhal.config.AppResolver;
import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ConfigLoader.Invocation;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import dev.narwhal.http.TlsFiles;
import dev.narwhal.launcher.internal.AppChoice;
import dev.narwhal.launcher.internal.ConfigImport;
import dev.narwhal.launcher.internal.ConfigPrinter;
import dev.narwhal.launcher.internal.ReloadWatcher;
import dev.narwhal.launcher.internal.Signals;
import dev.narwhal.logging.internal.LogSetup;
import dev.narwhal.process.internal.Daemon;
import dev.narwhal.process.internal.Pidfile;
import dev.narwhal.process.internal.ProcessName;
import dev.narwhal.process.internal.SystemdNotifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code narwhal} command: {@code narwhal [OPTIONS] APP}.
 *
 * <p>Exit status: 0 after a normal stop, 1 when the server cannot start (e.g. the address is in
 * use), 2 for a bad command line or configuration, 3 when workers cannot boot.
 */
public final class Main {
  private static final String VERSION = Server.VERSION;

  private Main() {}

  public static void main(String[] args) {
    StartupReport.mark("main");
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command and returns its exit status once the server has stopped. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("ctl")) { // narwhal ctl ...: a client of a running server
      return Ctl.run(List.of(args).subList(1, args.length), System.getenv(), Path.of(""), out, err);
    }
    if (args.length > 0 && args[0].equals("config")) { // narwhal config import gunicorn.conf.py: print HOCON
      return ConfigImport.run(List.of(args).subList(1, args.length), System.getenv(), out, err);
    }
    ConfigLoader.preloadDefaults();
    // before any logger exists: the log pattern shows the pid, as gunicorn's does
    System.setProperty("narwhal.pid", Long.toString(ProcessHandle.current().pid()));
    Invocation invocation;
    Supplier<Application> app;
    try {
      invocation = ConfigLoader.load(List.of(args), System.getenv(), launchDir());
      StartupReport.mark("settings");
      switch (invocation.action()) {
        case HELP -> {
          out.print(ConfigLoader.usage(description()));
          return 0;
        }
        case VERSION -> {
          out.println("narwhal " + VERSION);
          return 0;
        }
        case CHECK_CONFIG -> {
          TlsFiles.check(invocation.config()); // reads the TLS key and certificates
          Optional<String> appName = AppChoice.of(invocation);
          appName.ifPresent(a -> AppResolver.resolve(a, invocation.config()));
          AppResolver.checkClasses(invocation.config());
          invocation.warnings().forEach(w -> out.println("warning: " + w));
          if (appName.isEmpty()) {
            out.println("warning: no APP given: the server would not start (" + noAppHint() + ")");
          }
          out.println("Configuration OK" + invocation.configFile().map(f -> ": " + f).orElse(""));
          return 0;
        }
        case PRINT_CONFIG -> {
          printConfig(invocation, out);
          return 0;
        }
        case RUN -> { }
      }
      // a bad TLS key or certificate is a config error like any other, found before any daemon detaches
      TlsFiles.check(invocation.config());
      app = AppResolver.resolve(AppChoice.of(invocation).orElseThrow(() -> new SettingsException(
          "no APP given: " + noAppHint())), invocation.config());
      AppResolver.checkClasses(invocation.config());
      Pidfile.checkFree(invocation.config());
      StartupReport.mark("config");
    } catch (SettingsException e) {
      err.println("narwhal: error: " + e.getMessage());
      return 2;
    }
    if (Daemon.shouldDetach(invocation.config())) {
      return detach(args, invocation, out, err);
    }
    return serve(args, invocation, app);
  }

  /**
   * Where relative names on the command line (-c) are resolved: the working directory, except in
   * a daemon's detached server, which runs in chdir and is told where the command was started.
   */
  private static Path launchDir() {
    String launched = System.getenv(Daemon.LAUNCH_DIR);
    // relative when not daemonized, so errors name the config file as the user wrote it
    return launched == null ? Path.of("") : Path.of(launched);
  }

  private static int detach(String[] args, Invocation invocation, PrintStream out, PrintStream err) {
    try {
      return Daemon.detach(List.of(args), invocation.config(), out, err);
    } catch (IOException e) {
      err.println("narwhal: error: cannot start the background server: " + e.getMessage());
      return 1;
    }
  }

  private static int serve(String[] args, Invocation invocation, Supplier<Application> app) {
    LogSetup logs;
    try {
      logs = LogSetup.apply(invocation.config());
    } catch (SettingsException e) { // a logconfig file Logback found errors in
      System.err.println("narwhal: error: " + e.getMessage());
      return 2;
    }
    ProcessName.apply(invocation.config().get(Settings.PROC_NAME));
    Logger log = LoggerFactory.getLogger("narwhal");
    logs.announce(invocation.config(), log);
    invocation.warnings().forEach(log::warn);
    StartupReport.mark("logging");
    log.info("Starting narwhal {}", VERSION);
    invocation.configFile().ifPresent(f -> log.info("Config file: {}", f));
    Optional<SystemdNotifier> systemd = SystemdNotifier.fromEnvironment(System.getenv());
    Signals signals = Signals.install(() -> systemd.ifPresent(SystemdNotifier::stopping));
    Server server;
    try {
      // the embedding API, as any user's main would call it, plus what only the command does
      server = Server.create(app, invocation.config())
          .hooks(hooks(invocation))
          .reloader(s -> reload(args, s, log, systemd))
          .reopenLogs(logs::reopen)
          .start();
    } catch (ServerStartException e) {
      log.error(e.getMessage());
      return e.exitStatus();
    }
    Optional<Pidfile> pidfile;
    try {
      pidfile = announceReady(invocation);
    } catch (IOException e) {
      log.error("Cannot write the pidfile or signal readiness: {}", e.getMessage());
      server.stop(Duration.ZERO).toCompletableFuture().join();
      return 1;
    }
    // SIGHUP, --reload and POST /control/reload all run Server.reload(), hence reload(args, ...) below
    Runnable reload = () -> {
      try {
        server.reload();
      } catch (SettingsException | ServerStartException logged) {
        // Server.reload logged why; the current workers keep serving
      }
    };
    systemd.ifPresent(n -> n.ready(server));
    signals.serve(server, reload, server::reopenLogs);
    if (invocation.config().get(Settings.RELOAD)) {
      List<Path> watched = new java.util.ArrayList<>(invocation.config().classpath());
      invocation.configFile().ifPresent(watched::add);
      ReloadWatcher.start(watched, Duration.ofMillis(500), reload);
    }
    int status = server.whenTerminated().toCompletableFuture().join();
    pidfile.ifPresent(Pidfile::remove);
    log.info("Shutdown complete (exit {})", status);
    return status;
  }

  /** Once the server listens: writes the pidfile, then lets a waiting daemon command exit. */
  private static Optional<Pidfile> announceReady(Invocation invocation) throws IOException {
    Optional<Pidfile> pidfile = Pidfile.write(invocation.config());
    Daemon.announceReady();
    return pidfile;
  }

  /**
   * Reload (SIGHUP, {@code --reload}'s file watcher, {@code narwhal ctl reload}): re-read the command line, environment and config
   * file, load the application again (from a fresh class loader when it comes from --classpath, so
   * new code is picked up), and roll the workers. A broken config or application throws, and the
   * old workers keep serving.
   */
  private static void reload(String[] args, Server server, Logger log, Optional<SystemdNotifier> systemd)
      throws ServerStartException {
    if (systemd.isEmpty()) {
      reload(args, server, log);
      return;
    }
    int phaseBefore = server.stats().phase();
    systemd.get().reloading();
    try {
      reload(args, server, log);
    } catch (ServerStartException | RuntimeException refused) {
      systemd.get().reloadRefused(server);
      throw refused;
    }
    systemd.get().whenReloaded(server, phaseBefore);
  }

  /**
   * The hooks, built here, in the server's process, once logging is set up (the class was checked
   * before anything started): a constructor that throws is a bad configuration too (exit 2).
   */
  private static ServerHooks hooks(Invocation invocation) throws ServerStartException {
    try {
      return AppResolver.hooks(invocation.config());
    } catch (SettingsException e) {
      throw new ServerStartException(e.getMessage(), 2);
    }
  }

  private static void reload(String[] args, Server server, Logger log) throws ServerStartException {
    Invocation next = ConfigLoader.load(List.of(args), System.getenv(), launchDir());
    next.warnings().forEach(log::warn);
    AppResolver.checkClasses(next.config());
    String appName = AppChoice.of(next).orElseThrow(() -> new SettingsException("no APP given"));
    server.reload(next.config(), AppResolver.resolve(appName, next.config()));
  }

  /** Read only when needed: the short names come from every jar's apps.properties. */
  private static String noAppHint() {
    return "name a class implementing " + Application.class.getName() + AppResolver.shortNames(" or one of: ")
        + ", set narwhal.app, or run a jar whose manifest has " + AppChoice.MANIFEST_ATTRIBUTE + " (see narwhal --help)";
  }

  private static String description() {
    return "Serve APP with a pool of supervised workers behind Pekko HTTP. APP is a class implementing "
        + Application.class.getName() + " (with a public no-argument constructor)"
        + AppResolver.shortNames(" or a bundled example: ") + ". Without APP, the app setting or the "
        + AppChoice.MANIFEST_ATTRIBUTE + " attribute of the jar's manifest names it (java -jar app.jar). "
        + "'narwhal ctl --help' shows the command "
        + "that controls a running server through its admin API; 'narwhal config import gunicorn.conf.py' "
        + "prints a Gunicorn config file as narwhal.conf.";
  }

  private static void printConfig(Invocation invocation, PrintStream out) {
    ConfigPrinter.lines(invocation.config()).forEach(out::println);
  }
}
