package dev.narwhal.launcher.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Development mode ({@code --reload}, gunicorn's): watches the application's classpath
 * and the config file, and runs the same rolling reload as SIGHUP once they have changed and then
 * stayed quiet for one poll (so a build that writes many class files causes one reload).
 *
 * <p>It polls file times rather than using a WatchService: that works the same on every file
 * system (overlays and network mounts included) and costs nothing that matters in development.
 */
public final class ReloadWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("narwhal");

  private final List<Path> roots;
  private final Runnable reload;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "narwhal-reload-watcher");
    t.setDaemon(true);
    return t;
  });
  private long seen;
  private long pending;

  private ReloadWatcher(List<Path> roots, Runnable reload) {
    this.roots = List.copyOf(roots);
    this.reload = reload;
    this.seen = fingerprint();
    this.pending = seen;
  }

  /** Starts watching {@code roots} (directories, jars or files), polling every {@code interval}. */
  public static ReloadWatcher start(List<Path> roots, Duration interval, Runnable reload) {
    ReloadWatcher watcher = new ReloadWatcher(roots, reload);
    watcher.poller.scheduleWithFixedDelay(watcher::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    log.info("Reloading on changes to: {}", roots);
    return watcher;
  }

  private void poll() {
    try {
      long now = fingerprint();
      if (now != pending) {
        pending = now; // still changing: wait for a quiet poll
      } else if (now != seen) {
        seen = now;
        log.info("Code or config changed; reloading");
        reload.run();
      }
    } catch (RuntimeException e) {
      log.warn("Reload watcher: {}", e.toString());
    }
  }

  /** A number that changes when any watched file is added, removed or modified. */
  long fingerprint() {
    long hash = 1;
    for (Path root : roots) {
      for (Path file : files(root)) {
        try {
          hash = 31 * hash + Objects.hash(file.toString(), Files.getLastModifiedTime(file).toMillis(), Files.size(file));
        } catch (IOException vanished) {
          hash = 31 * hash + file.hashCode();
        }
      }
    }
    return hash;
  }

  private static List<Path> files(Path root) {
    if (!Files.isDirectory(root)) {
      return Files.exists(root) ? List.of(root) : List.of();
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return new ArrayList<>(walk.filter(Files::isRegularFile).sorted().toList());
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
