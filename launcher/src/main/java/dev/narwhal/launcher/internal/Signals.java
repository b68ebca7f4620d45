package dev.narwhal.launcher.internal;

import dev.narwhal.Server;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * INTERNAL API. Gunicorn's signals, mapped onto the server: TERM graceful stop, INT quick stop (a
 * second INT during a graceful stop escalates), HUP rolling reload, TTIN/TTOU one worker more or
 * fewer, USR1 reopen the log files.
 *
 * <p>SIGQUIT stays the JVM's (it prints a thread dump, as for any Java process): HotSpot reserves
 * it, and the only switch that frees it, {@code -Xrs}, takes HUP, INT and TERM away from us instead.
 *
 * <p>Handlers only hand over to a control thread, in arrival order (gunicorn's "signal handler: no
 * logging, just queue the signal"): the JVM's signal thread must not block. Stops have a thread of
 * their own, so a TERM or INT never waits behind a reload that is loading a new application.
 */
public final class Signals {
  private static final Logger log = LoggerFactory.getLogger("narwhal");

  private final ExecutorService control = singleThread("narwhal-signals");
  private final ExecutorService stops = singleThread("narwhal-stop-signals");

  private Signals() {}

  /**
   * Installs every handler for {@code server}. SIGTERM waits for {@link Server#gracefulTimeout()}
   * as it stands when the signal arrives (a reload may have changed it).
   *
   * @param reload what SIGHUP runs: re-read the configuration and reload
   * @param reopenLogs what SIGUSR1 runs: reopen log files (logrotate-friendly)
   * @param stopping told first when SIGTERM or SIGINT begins a stop (systemd's STOPPING=1)
   */
  public static void install(Server server, Runnable reload, Runnable reopenLogs, Runnable stopping) {
    Signals signals = new Signals();
    signals.on("TERM", signals.stops, () -> {
      stopping.run();
      server.stop(server.gracefulTimeout());
    });
    signals.on("INT", signals.stops, () -> {
      stopping.run();
      server.stop(Duration.ZERO);
    });
    signals.on("HUP", signals.control, reload);
    // a signal cannot name a pool: TTIN/TTOU scale the default one (ctl scale --pool, the control API: any pool)
    signals.on("TTIN", signals.control, server::scaleUp);
    signals.on("TTOU", signals.control, server::scaleDown);
    signals.on("USR1", signals.control, reopenLogs);
  }

  private void on(String name, ExecutorService thread, Runnable action) {
    try {
      Signal.handle(new Signal(name), s -> thread.execute(() -> {
        log.info("Handling SIG{}", name);
        action.run();
      }));
    } catch (IllegalArgumentException taken) {
      // e.g. a JVM run with -Xrs, which keeps HUP, INT and TERM for itself
      log.warn("SIG{} cannot be handled in this JVM ({}); it keeps its default action", name, taken.getMessage());
    }
  }

  private static ExecutorService singleThread(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }
}
