package dev.narwhal;

import dev.narwhal.admin.internal.Ctl;
import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ConfigLoader.Invocation;
import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import dev.narwhal.http.internal.AppResolver;
import dev.narwhal.http.internal.Signals;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
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
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command and returns its exit status once the server has stopped. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && args[0].equals("ctl")) { // narwhal ctl ...: a client of a running server
      return Ctl.run(List.of(args).subList(1, args.length), System.getenv(), Path.of(""), out, err);
    }
    // before any logger exists: the log pattern shows the pid, as gunicorn's does
    System.setProperty("narwhal.pid", Long.toString(ProcessHandle.current().pid()));
    Invocation invocation;
    Supplier<Application> app;
    try {
      // relative, so errors name the config file as the user wrote it
      invocation = ConfigLoader.load(List.of(args), System.getenv(), Path.of(""));
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
          invocation.app().ifPresent(a -> AppResolver.resolve(a, invocation.config().classpath()));
          out.println("Configuration OK" + invocation.configFile().map(f -> ": " + f).orElse(""));
          return 0;
        }
        case PRINT_CONFIG -> {
          printConfig(invocation, out);
          return 0;
        }
        case RUN -> { }
      }
      app = AppResolver.resolve(invocation.app().orElseThrow(() -> new SettingsException(
          "no APP given: name a class implementing " + Application.class.getName() + " or one of: "
              + String.join(", ", AppResolver.aliases().keySet()) + " (see narwhal --help)")),
          invocation.config().classpath());
    } catch (SettingsException e) {
      err.println("narwhal: error: " + e.getMessage());
      return 2;
    }
    return serve(args, invocation, app);
  }

  private static int serve(String[] args, Invocation invocation, Supplier<Application> app) {
    Logger log = LoggerFactory.getLogger("narwhal");
    invocation.warnings().forEach(log::warn);
    log.info("Starting narwhal {}", VERSION);
    invocation.configFile().ifPresent(f -> log.info("Config file: {}", f));
    Server server;
    try {
      server = Server.start(invocation.config(), app, AppResolver.hooks(invocation.config()),
          s -> reload(args, s, log));
    } catch (ServerStartException e) {
      log.error(e.getMessage());
      return e.exitStatus();
    }
    Signals.install(server, invocation.config().gracefulTimeout(), () -> {
      try {
        server.reload();
      } catch (SettingsException | ServerStartException logged) {
        // Server.reload logged why; the current workers keep serving
      }
    });
    int status = server.whenTerminated().toCompletableFuture().join();
    log.info("Shutdown complete (exit {})", status);
    return status;
  }

  /**
   * Reload (SIGHUP, {@code narwhal ctl reload}): re-read the command line, environment and config
   * file, load the application again (from a fresh class loader when it comes from --classpath, so
   * new code is picked up), and roll the workers. A broken config or application throws, and the
   * old workers keep serving.
   */
  private static void reload(String[] args, Server server, Logger log) throws ServerStartException {
    Invocation next = ConfigLoader.load(List.of(args), System.getenv(), Path.of(""));
    next.warnings().forEach(log::warn);
    String appName = next.app().orElseThrow(() -> new SettingsException("no APP given"));
    server.reload(next.config(), AppResolver.resolve(appName, next.config().classpath()));
  }

  private static String description() {
    return "Serve APP with a pool of supervised workers behind Pekko HTTP. APP is a class implementing "
        + Application.class.getName() + " (with a public no-argument constructor) or a bundled example: "
        + String.join(", ", AppResolver.aliases().keySet()) + ". 'narwhal ctl --help' shows the command "
        + "that controls a running server through its admin API.";
  }

  private static void printConfig(Invocation invocation, PrintStream out) {
    for (Setting<?> setting : Settings.ALL) {
      out.printf("%-28s = %s%n", setting.key(), invocation.config().get(setting));
    }
  }
}
