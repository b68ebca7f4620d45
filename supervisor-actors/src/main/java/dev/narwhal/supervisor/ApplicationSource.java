package dev.narwhal.supervisor;

import dev.narwhal.Application;
import java.util.function.Supplier;

/**
 * Where workers get their application instance: built per worker (gunicorn's default: a recycled
 * worker starts with fresh state), or one preloaded instance shared by all ({@code preload-app}).
 */
public sealed interface ApplicationSource {

  /** Called on the worker's thread when it boots. */
  Application acquire() throws Exception;

  /** Called on the worker's thread when it stops. */
  void release(Application app) throws Exception;

  /**
   * Called by the arbiter once no worker is left that was started from this source and none will
   * be again (its phase was replaced by a reload, or was an aborted one). A shared instance is
   * stopped then, off the caller's thread; per-worker instances have stopped with their workers.
   */
  default void retire() {}

  /** Each worker builds its own instance and runs its {@code onStart}/{@code onStop}. */
  static ApplicationSource perWorker(Supplier<? extends Application> factory) {
    return new PerWorker(factory);
  }

  /** Every worker uses {@code started}, whose lifecycle its owner runs once. */
  static ApplicationSource shared(Application started) {
    return new Shared(started, () -> { });
  }

  /**
   * Every worker uses {@code started}; {@code stop} (the owner's, which must run the instance's
   * {@code onStop} at most once) runs when the source is {@linkplain #retire() retired}, so a
   * reload does not leave the old instance's resources open until the process exits.
   */
  static ApplicationSource shared(Application started, Runnable stop) {
    return new Shared(started, stop);
  }

  record PerWorker(Supplier<? extends Application> factory) implements ApplicationSource {
    @Override
    public Application acquire() throws Exception {
      Application app = factory.get();
      app.onStart();
      return app;
    }

    @Override
    public void release(Application app) throws Exception {
      app.onStop();
    }
  }

  record Shared(Application instance, Runnable stop) implements ApplicationSource {
    @Override
    public Application acquire() {
      return instance;
    }

    @Override
    public void release(Application app) {
      // the owner stops the shared instance once, after the last worker
    }

    @Override
    public void retire() {
      // onStop may close pools and join threads: never on the arbiter's dispatcher
      Thread.ofVirtual().name("narwhal-app-retire").start(stop);
    }
  }
}
