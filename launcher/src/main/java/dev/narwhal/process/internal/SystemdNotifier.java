package dev.narwhal.process.internal;

import dev.narwhal.Server;
import dev.narwhal.supervisor.Stats;
import dev.narwhal.supervisor.WorkerState;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. systemd's notify protocol ({@code Type=notify}), spoken when systemd sets
 * {@code NOTIFY_SOCKET}: {@code READY=1} with {@code MAINPID} once the workers have booted and the
 * sockets listen; {@code RELOADING=1} when a reload begins and {@code READY=1} when every worker is
 * in the new phase (or the reload was rolled back); {@code STOPPING=1} when a stop begins;
 * {@code STATUS=} with the worker counts; {@code WATCHDOG=1} while the arbiter answers, if systemd
 * asked for a watchdog ({@code WatchdogSec}). A message that cannot be sent is logged once, never
 * fatal: the server serves with or without systemd.
 */
public final class SystemdNotifier {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  private static final Duration STATUS_EVERY = Duration.ofSeconds(5);

  private final String socket;
  private final UnixDatagram out;
  private final Optional<Duration> watchdog;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicBoolean warned = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "narwhal-systemd-notify");
    t.setDaemon(true);
    return t;
  });

  private SystemdNotifier(String socket, UnixDatagram out, Optional<Duration> watchdog) {
    this.socket = socket;
    this.out = out;
    this.watchdog = watchdog;
  }

  /** A notifier when systemd started this process with a notify socket; empty otherwise. */
  public static Optional<SystemdNotifier> fromEnvironment(Map<String, String> env) {
    String socket = env.get("NOTIFY_SOCKET");
    if (socket == null || socket.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(new SystemdNotifier(socket, UnixDatagram.open(), watchdogInterval(env)));
    } catch (IOException | UnsatisfiedLinkError e) {
      log.warn("NOTIFY_SOCKET is set but cannot be used: {}", e.getMessage());
      return Optional.empty();
    }
  }

  /** WATCHDOG_USEC, when it is meant for this process (WATCHDOG_PID absent or ours). */
  static Optional<Duration> watchdogInterval(Map<String, String> env) {
    String pid = env.get("WATCHDOG_PID");
    if (pid != null && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
      return Optional.empty();
    }
    try {
      long usec = Long.parseLong(env.getOrDefault("WATCHDOG_USEC", "0").strip());
      return usec > 0 ? Optional.of(Duration.ofNanos(usec * 1000)) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The one-line state systemctl status shows. */
  static String status(Stats stats) {
    return "Serving: " + stats.workers().size() + " workers (" + stats.workersIn(WorkerState.IDLE) + " idle, "
        + stats.workersIn(WorkerState.BUSY) + " busy, " + stats.workersIn(WorkerState.BOOTING) + " booting), phase "
        + stats.phase() + ", " + stats.backlog() + " waiting";
  }

  /** The server listens: READY=1, then the watchdog and status every few seconds. */
  public void ready(Server server) {
    send("READY=1\nMAINPID=" + ProcessHandle.current().pid() + "\nSTATUS=" + status(server.stats()));
    Duration every = watchdog.map(w -> w.dividedBy(2)).filter(w -> w.compareTo(STATUS_EVERY) < 0).orElse(STATUS_EVERY);
    timer.scheduleWithFixedDelay(() -> tick(server), every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick(Server server) {
    if (server.isStopping()) {
      stopping(); // a stop through the admin API, which no signal announced
      return;
    }
    try {
      Stats stats = server.stats(); // the arbiter answered: it is alive
      send((watchdog.isPresent() ? "WATCHDOG=1\n" : "") + "STATUS=" + status(stats));
    } catch (RuntimeException noAnswer) {
      // no WATCHDOG=1: if the arbiter stays silent, systemd restarts the service after WatchdogSec
    }
  }

  /** A reload begins: RELOADING=1 (with the monotonic time systemd's notify-reload wants). */
  public void reloading() {
    send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000 + "\nSTATUS=Reloading");
  }

  /** The reload was accepted: READY=1 once it has settled (completed or rolled back). */
  public void whenReloaded(Server server, int phaseBefore) {
    ReloadProgress progress = new ReloadProgress(phaseBefore);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    timer.execute(new Runnable() {
      @Override
      public void run() {
        if (stopping.get()) {
          return;
        }
        try {
          Stats stats = server.stats();
          if (progress.settled(stats) || System.nanoTime() > deadline) {
            send("READY=1\nSTATUS=" + status(stats));
            return;
          }
        } catch (RuntimeException noAnswer) {
          // asked again below; the watchdog reports an arbiter that stays silent
        }
        timer.schedule(this, 200, TimeUnit.MILLISECONDS);
      }
    });
  }

  /** The reload was refused (a bad config or app): the old workers serve on, READY=1 at once. */
  public void reloadRefused(Server server) {
    send("READY=1\nSTATUS=Reload refused; " + status(server.stats()));
  }

  /** A stop begins: STOPPING=1, once. */
  public void stopping() {
    if (stopping.compareAndSet(false, true)) {
      send("STOPPING=1\nSTATUS=Stopping");
    }
  }

  private void send(String message) {
    try {
      out.send(socket, message);
    } catch (IOException e) {
      if (warned.compareAndSet(false, true)) {
        log.warn("Cannot notify systemd at {}: {}", socket, e.getMessage());
      }
    }
  }
}
