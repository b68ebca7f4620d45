package dev.narwhal.server.internal;

import dev.narwhal.Application;
import dev.narwhal.ServerStartException;
import dev.narwhal.supervisor.ApplicationSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. Preloaded application instances ({@code preload-app}): started before the workers,
 * stopped once after the last worker that uses them. A reload adds one per phase, so several may
 * be alive at once; each is stopped exactly once, whether its phase retires or the server stops.
 */
public final class PreloadedApps {
  private static final Logger log = LoggerFactory.getLogger("narwhal");
  private final List<Application> started = new CopyOnWriteArrayList<>();

  /** Starts one instance; the source stops it once the arbiter retires its phase, or {@link #stopAll} does. */
  public ApplicationSource start(Supplier<? extends Application> app) throws ServerStartException {
    Application instance;
    try {
      instance = app.get();
      instance.onStart();
    } catch (Exception | LinkageError e) {
      throw new ServerStartException("The preloaded application failed to start: " + e, 3);
    }
    started.add(instance);
    return ApplicationSource.shared(instance, () -> {
      if (stop(instance)) {
        log.info("Stopped the preloaded application of a replaced phase: no worker uses it any more");
      }
    });
  }

  /** Runs the instance's onStop unless it already ran; whether it ran now. */
  private boolean stop(Application instance) {
    if (!started.remove(instance)) {
      return false;
    }
    try {
      instance.onStop();
    } catch (Exception e) {
      log.warn("Preloaded application onStop failed", e);
    }
    return true;
  }

  public void stopAll() {
    started.forEach(this::stop);
  }
}
