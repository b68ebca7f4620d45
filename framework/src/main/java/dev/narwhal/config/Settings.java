package dev.narwhal.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The settings registry: every setting Narwhal has, in the order {@code --help} and
 * {@code docs/settings.md} list them. Nothing else lives here.
 *
 * <p>Defaults live in {@code reference.conf} (under {@code narwhal}), as Pekko users expect; a test
 * fails when it and this registry disagree in either direction.
 */
public final class Settings {
  /** The HOCON root key. */
  public static final String ROOT = "narwhal";

  public static final Setting<List<BindAddress>> BIND = new Setting<>(
      "bind", Section.SERVER_SOCKET, List.of("-b", "--bind"), "ADDRESS",
      Setting.CliKind.REPEATABLE,
      ValueReader.listOf("HOST:PORT, [IPv6]:PORT or HOST", BindAddress::parse),
      "The socket to bind. Repeat the flag (or give a list in the file) to listen on several "
          + "addresses. HOST:PORT, [IPv6]:PORT, or HOST alone for port 8000; port 0 picks a free port.");

  public static final Setting<Integer> BACKLOG = new Setting<>(
      "backlog", Section.SERVER_SOCKET, List.of("--backlog"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "The maximum number of requests waiting for a free worker. When every worker is busy, "
          + "requests queue up to this many; beyond it clients get 503 with Retry-After at once. "
          + "It is also the listen queue of each socket.");

  public static final Setting<Integer> WORKERS = new Setting<>(
      "workers", Section.WORKER_PROCESSES, List.of("-w", "--workers"), "INT",
      Setting.CliKind.VALUE, ValueReader.workerCount(),
      "The number of worker actors handling requests. 'auto' means 2 x cores + 1, gunicorn's "
          + "suggested formula. The environment variable WEB_CONCURRENCY sets the default, as in "
          + "gunicorn.");

  public static final Setting<Duration> GRACEFUL_TIMEOUT = new Setting<>(
      "graceful-timeout", Section.WORKER_PROCESSES, List.of("--graceful-timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.duration(),
      "How long a graceful stop waits for accepted requests to finish. After it, whatever is still "
          + "running is answered 503 and the server exits. Make it longer than your slowest request.");

  public static final Setting<Integer> MAX_REQUESTS = new Setting<>(
      "max-requests", Section.WORKER_PROCESSES, List.of("--max-requests"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "Requests a worker serves before it is recycled; 0 disables recycling. A simple guard against "
          + "memory leaks in the application. The replacement boots before the old worker retires, "
          + "so recycling never reduces capacity.");

  public static final Setting<Integer> MAX_REQUESTS_JITTER = new Setting<>(
      "max-requests-jitter", Section.WORKER_PROCESSES, List.of("--max-requests-jitter"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(0),
      "A random 0..N added to max-requests, drawn once per worker. It spreads recycling out so "
          + "that workers started together do not all restart together.");

  public static final Setting<Duration> TIMEOUT = new Setting<>(
      "timeout", Section.WORKER_PROCESSES, List.of("-t", "--timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.durationOrOff(),
      "A request running longer than this answers 504 and its worker is replaced. The error log "
          + "gets a WORKER TIMEOUT line with the stack of the stuck thread; the thread is interrupted "
          + "and, if it never returns, abandoned and counted. 0 or off disables.");

  public static final Setting<Duration> BOOT_TIMEOUT = new Setting<>(
      "boot-timeout", Section.WORKER_PROCESSES, List.of("--boot-timeout"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.duration(),
      "How long a worker's application may take to start (its onStart). A worker that overruns is "
          + "stopped and retried with backoff; after 5 failed boots in a row the server exits with "
          + "status 3.");

  public static final Setting<Boolean> PRELOAD_APP = new Setting<>(
      "preload-app", Section.SERVER_MECHANICS, List.of("--preload"), "",
      Setting.CliKind.SWITCH, ValueReader.bool(),
      "Build one application instance before the workers start and share it between them. Off: "
          + "each worker builds its own instance, so a recycled worker starts with fresh state. On: "
          + "one instance (the application must be thread-safe); onStart runs once.");

  public static final Setting<String> HOOKS = new Setting<>(
      "hooks", Section.SERVER_HOOKS, List.of("--hooks"), "CLASS",
      Setting.CliKind.VALUE, ValueReader.text(),
      "A class implementing dev.narwhal.ServerHooks (public no-argument constructor) whose methods "
          + "are called at gunicorn's hook points: on starting, when ready, pre/post worker start, "
          + "pre/post request, worker timeout, worker exit, on reload, on exit. Empty: no hooks.");

  public static final Setting<List<Path>> CLASSPATH = new Setting<>(
      "classpath", Section.SERVER_MECHANICS, List.of("--classpath"), "PATH",
      Setting.CliKind.REPEATABLE, ValueReader.pathList(),
      "Where to find the application's classes: directories or jars, repeatable, or joined with ':'. "
          + "Gunicorn's --pythonpath for the JVM; empty means only the classes Narwhal ships with.");

  public static final Setting<Optional<BindAddress>> ADMIN_BIND = new Setting<>(
      "admin-bind", Section.ADMIN, List.of("--admin-bind"), "ADDRESS",
      Setting.CliKind.VALUE, ValueReader.bindOrOff(),
      "Where the admin API listens: health checks, /stats, /metrics, thread dumps, the control "
          + "endpoints narwhal ctl uses, and the live dashboard at /. HOST:PORT, separate from the "
          + "application's bind; off disables it. Keep it on loopback or a private network: reads "
          + "are open, and only the control endpoints need the admin token. Port 0 picks a free port.");

  public static final Setting<String> ADMIN_TOKEN = new Setting<>(
      "admin-token", Section.ADMIN, List.of(), "TOKEN",
      Setting.CliKind.VALUE, ValueReader.text(),
      "The bearer token the admin API's control endpoints (reload, scale, stop, reopen-logs) "
          + "require. Set it through the environment (NARWHAL_ADMIN_TOKEN) or the config file; it has "
          + "no command-line flag, since other users can read a process's arguments. Empty: a "
          + "random token is generated at start and written to admin-token-file, readable by the "
          + "owner only; the ready log line names the file.");

  public static final Setting<Optional<Path>> ADMIN_TOKEN_FILE = new Setting<>(
      "admin-token-file", Section.ADMIN, List.of("--admin-token-file"), "FILE",
      Setting.CliKind.VALUE, ValueReader.optionalPath(),
      "Where a generated admin token is written (mode 0600, removed at exit). Empty: "
          + "$XDG_RUNTIME_DIR/narwhal/admin-PORT.token, or narwhal-USER/admin-PORT.token in the "
          + "temporary directory, PORT being the admin port; narwhal ctl looks there by default.");

  public static final Setting<Boolean> METRICS = new Setting<>(
      "metrics", Section.METRICS, List.of("--metrics"), "on|off",
      Setting.CliKind.VALUE, ValueReader.bool(),
      "Collect metrics with Kamon and serve them in Prometheus' text format at /metrics on the "
          + "admin bind: requests, latency and queueing histograms, pool state, restarts by reason, "
          + "JVM and process metrics. Kamon's own reporters and its embedded Prometheus server are "
          + "configured in the config file's kamon { } block. off: no Kamon at all.");

  public static final Setting<Duration> METRICS_TICK_INTERVAL = new Setting<>(
      "metrics-tick-interval", Section.METRICS, List.of("--metrics-tick-interval"), "DURATION",
      Setting.CliKind.VALUE, ValueReader.duration(),
      "How often metrics are snapshotted for /metrics and Kamon's reporters (Kamon's "
          + "kamon.metric.tick-interval, whose own default is 60 s). /metrics is at most this old; "
          + "make it no longer than your Prometheus scrape interval.");

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> ALL = List.of(
      BIND, BACKLOG,
      WORKERS, MAX_REQUESTS, MAX_REQUESTS_JITTER, TIMEOUT, GRACEFUL_TIMEOUT, BOOT_TIMEOUT,
      PRELOAD_APP, CLASSPATH,
      HOOKS,
      ADMIN_BIND, ADMIN_TOKEN, ADMIN_TOKEN_FILE, METRICS, METRICS_TICK_INTERVAL);

  private Settings() {}

  /** The setting with this key, if any. */
  public static Optional<Setting<?>> byKey(String key) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
  }
}
