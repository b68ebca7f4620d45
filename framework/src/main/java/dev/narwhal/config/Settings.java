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

  public static final Setting<String> WORKER_CLASS = new Setting<>(
      "worker-class", Section.WORKER_PROCESSES, List.of("-k", "--worker-class"), "STRING",
      Setting.CliKind.VALUE, ValueReader.workerClass("sync", "gthread", "virtual", "async"),
      "How workers run requests. sync: one at a time per worker on its own thread (gunicorn's "
          + "default). gthread: up to 'threads' at a time on a thread pool per worker. virtual: each "
          + "request on a virtual thread, up to 'worker-connections' per worker. async: for "
          + "AsyncApplication apps, up to 'worker-connections' in flight per worker with no thread held. "
          + "Or the class name of a dev.narwhal.spi.WorkerExtension, your own worker behaviour.");

  public static final Setting<Integer> THREADS = new Setting<>(
      "threads", Section.WORKER_PROCESSES, List.of("--threads"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "Threads per worker for the gthread worker class. As in gunicorn, sync with more than one "
          + "thread runs as gthread.");

  public static final Setting<Integer> WORKER_CONNECTIONS = new Setting<>(
      "worker-connections", Section.WORKER_PROCESSES, List.of("--worker-connections"), "INT",
      Setting.CliKind.VALUE, ValueReader.integer(1),
      "The most requests one virtual or async worker runs at once.");

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

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> ALL = List.of(
      BIND, BACKLOG,
      WORKERS, WORKER_CLASS, THREADS, WORKER_CONNECTIONS, MAX_REQUESTS, MAX_REQUESTS_JITTER, TIMEOUT, GRACEFUL_TIMEOUT, BOOT_TIMEOUT,
      PRELOAD_APP, CLASSPATH,
      HOOKS);

  private Settings() {}

  /** The setting with this key, if any. */
  public static Optional<Setting<?>> byKey(String key) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
  }
}
