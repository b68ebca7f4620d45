package dev.narwhal;

import dev.narwhal.config.ConfigLoader;
import dev.narwhal.config.ConfigLoader.Invocation;
import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import dev.narwhal.config.SettingsException;
import dev.narwhal.http.internal.AppResolver;
import dev.narwhal.logging.internal.LogSetup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The {@code narwhal} command: {@code narwhal [OPTIONS] APP}.
 *
 * <p>Exit status: 0 after a normal stop, 1 when the server cannot start (e.g. the address is in
 * use), 2 for a bad command line or configuration, 3 when workers cannot boot.
 */
public final class Main {
  private static final String VERSION = "0.1.0";

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command and returns its exit status once the server has stopped. */
  static int run(String[] args, PrintStream out, PrintStream err) {
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
    return serve(invocation, app);
  }

  private static int serve(Invocation invocation, Supplier<Application> app) {
    LogSetup logs = LogSetup.apply(invocation.config());
    Logger log = LoggerFactory.getLogger("narwhal");
    invocation.warnings().forEach(log::warn);
    log.info("Starting narwhal {}", VERSION);
    invocation.configFile().ifPresent(f -> log.info("Config file: {}", f));
    Server server;
    try {
      server = Server.start(invocation.config(), app);
    } catch (ServerStartException e) {
      log.error(e.getMessage());
      return e.exitStatus();
    }
    // Signal handlers only hand over: the stop runs on the server's own threads.
    Duration graceful = invocation.config().gracefulTimeout();
    onSignal("TERM", () -> server.stop(graceful), log);
    onSignal("INT", () -> server.stop(Duration.ZERO), log);
    onSignal("QUIT", () -> server.stop(Duration.ZERO), log);
    onSignal("USR1", logs::reopen, log);
    int status = server.whenTerminated().toCompletableFuture().join();
    log.info("Shutdown complete (exit {})", status);
    return status;
  }

  /**
   * Installs a handler that only hands over. SIGQUIT belongs to the JVM (thread dumps) unless the
   * launcher passes -Xrs; where the JVM keeps a signal, it says so in the debug log.
   */
  private static void onSignal(String name, Runnable action, Logger log) {
    try {
      Signal.handle(new Signal(name), s -> action.run());
    } catch (IllegalArgumentException taken) {
      log.debug("SIG{} stays with the JVM: {}", name, taken.getMessage());
    }
  }

  private static String description() {
    return "Serve APP with a pool of supervised workers behind Pekko HTTP. APP is a class implementing "
        + Application.class.getName() + " (with a public no-argument constructor) or a bundled example: "
        + String.join(", ", AppResolver.aliases().keySet()) + ".";
  }

  private static void printConfig(Invocation invocation, PrintStream out) {
    for (Setting<?> setting : Settings.ALL) {
      out.printf("%-28s = %s%n", setting.key(), invocation.config().get(setting));
    }
  }
}
