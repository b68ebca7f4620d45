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

  /** Each worker builds its own instance and runs its {@code onStart}/{@code onStop}. */
  static ApplicationSource perWorker(Supplier<? extends Application> factory) {
    return new PerWorker(factory);
  }

  /** Every worker uses {@code started}, whose lifecycle its owner runs once. */
  static ApplicationSource shared(Application started) {
    return new Shared(started);
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

  record Shared(Application instance) implements ApplicationSource {
    @Override
    public Application acquire() {
      return instance;
    }

    @Override
    public void release(Application app) {
      // the owner stops the shared instance once, after the last worker
    }
  }
}
