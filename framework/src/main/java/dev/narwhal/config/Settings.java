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

  public static final Setting<List<Path>> CLASSPATH = new Setting<>(
      "classpath", Section.SERVER_MECHANICS, List.of("--classpath"), "PATH",
      Setting.CliKind.REPEATABLE, ValueReader.pathList(),
      "Where to find the application's classes: directories or jars, repeatable, or joined with ':'. "
          + "Gunicorn's --pythonpath for the JVM; empty means only the classes Narwhal ships with.");

  /** Every setting, in documentation order. */
  public static final List<Setting<?>> ALL = List.of(BIND, BACKLOG, WORKERS, GRACEFUL_TIMEOUT, CLASSPATH);

  private Settings() {}

  /** The setting with this key, if any. */
  public static Optional<Setting<?>> byKey(String key) {
    return ALL.stream().filter(s -> s.key().equals(key)).findFirst();
  }
}
