package dev.narwhal.launcher.internal;

import dev.narwhal.Server;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
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
  private final CompletableFuture<Actions> actions = new CompletableFuture<>();
  private final Runnable stopping;

  /** What each signal does once the server serves. */
  private record Actions(Server server, Runnable reload, Runnable reopenLogs) {}

  private Signals(Runnable stopping) {
    this.stopping = stopping;
  }

  /**
   * Installs every handler before the server starts, so a signal sent the moment "Listening at"
   * is logged is never the JVM's (HUP would end the process). Until {@link #serve} names the
   * server, HUP, TTIN, TTOU and USR1 wait in arrival order and run once it serves, as gunicorn's
   * queued signals do; TERM and INT end the start-up at once, with the JVM's usual status.
   *
   * @param stopping told first when SIGTERM or SIGINT begins a stop (systemd's STOPPING=1)
   */
  public static Signals install(Runnable stopping) {
    Signals signals = new Signals(stopping);
    signals.onStop("TERM", 143, a -> a.server.stop(a.server.gracefulTimeout()));
    signals.onStop("INT", 130, a -> a.server.stop(Duration.ZERO));
    signals.on("HUP", a -> a.reload.run());
    // a signal cannot name a pool: TTIN/TTOU scale the default one (ctl scale --pool, the control API: any pool)
    signals.on("TTIN", a -> a.server.scaleUp());
    signals.on("TTOU", a -> a.server.scaleDown());
    signals.on("USR1", a -> a.reopenLogs.run());
    return signals;
  }

  /**
   * From now on the signals act on {@code server}. SIGTERM waits for {@link Server#gracefulTimeout()}
   * as it stands when the signal arrives (a reload may have changed it).
   *
   * @param reload what SIGHUP runs: re-read the configuration and reload
   * @param reopenLogs what SIGUSR1 runs: reopen log files (logrotate-friendly)
   */
  public void serve(Server server, Runnable reload, Runnable reopenLogs) {
    actions.complete(new Actions(server, reload, reopenLogs));
  }

  private void onStop(String name, int startupStatus, Consumer<Actions> action) {
    handle(name, () -> stops.execute(() -> {
      Actions now = actions.getNow(null);
      if (now == null) {
        log.info("SIG{} during start-up: exiting", name);
        System.exit(startupStatus);
      }
      log.info("Handling SIG{}", name);
      stopping.run();
      action.accept(now);
    }));
  }

  private void on(String name, Consumer<Actions> action) {
    handle(name, () -> control.execute(() -> {
      Actions ready = actions.join(); // queued behind the start-up, in arrival order
      log.info("Handling SIG{}", name);
      action.accept(ready);
    }));
  }

  private static void handle(String name, Runnable handOver) {
    try {
      Signal.handle(new Signal(name), s -> handOver.run());
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
