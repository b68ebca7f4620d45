package dev.narwhal.http.internal;

import dev.narwhal.Server;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * INTERNAL API. Gunicorn's signals, mapped onto the server: TERM graceful stop, INT and QUIT quick
 * stop (a second INT during a graceful stop escalates), HUP rolling reload, TTIN/TTOU one worker
 * more or fewer, USR1 reopen the log files.
 *
 * <p>Handlers only hand over to one control thread, in arrival order (gunicorn's "signal handler:
 * no logging, just queue the signal"): the JVM's signal thread must not block.
 */
public final class Signals {
  private static final Logger log = LoggerFactory.getLogger("narwhal");

  private final ExecutorService control = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "narwhal-signals");
    t.setDaemon(true);
    return t;
  });

  private Signals() {}

  /**
   * Installs every handler for {@code server}.
   *
   * @param graceful how long SIGTERM waits
   * @param reload what SIGHUP runs: re-read the configuration and reload
   * @param reopenLogs what SIGUSR1 runs: reopen log files (logrotate-friendly)
   */
  public static void install(Server server, Duration graceful, Runnable reload, Runnable reopenLogs) {
    Signals signals = new Signals();
    signals.on("TERM", () -> server.stop(graceful));
    signals.on("INT", () -> server.stop(Duration.ZERO));
    signals.on("QUIT", () -> server.stop(Duration.ZERO));
    signals.on("HUP", reload);
    signals.on("TTIN", server::scaleUp);
    signals.on("TTOU", server::scaleDown);
    signals.on("USR1", reopenLogs);
  }

  private void on(String name, Runnable action) {
    try {
      Signal.handle(new Signal(name), s -> control.execute(() -> {
        log.info("Handling SIG{}", name);
        action.run();
      }));
    } catch (IllegalArgumentException taken) {
      // SIGQUIT belongs to the JVM (thread dumps) unless it runs with -Xrs
      log.debug("SIG{} stays with the JVM: {}", name, taken.getMessage());
    }
  }
}
