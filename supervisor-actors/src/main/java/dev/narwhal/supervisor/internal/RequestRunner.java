package dev.narwhal.supervisor.internal;

import dev.narwhal.Application;
import dev.narwhal.Response;
import dev.narwhal.supervisor.Job;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. The thread a worker runs its application on, and the application instance.
 *
 * <p>Created and owned by one worker actor. Handlers block, so they run here and never on a Pekko
 * dispatcher; the actor only hears back through the callbacks. The thread is a daemon: a handler
 * that never returns must not keep the JVM alive after the server stopped.
 */
public final class RequestRunner {
  private static final Logger log = LoggerFactory.getLogger("narwhal.error");

  private final ExecutorService executor;
  private final Supplier<? extends Application> factory;
  /** Written on the worker thread at boot; only read there afterwards. */
  private Application app;

  public RequestRunner(String threadName, Supplier<? extends Application> factory) {
    this.factory = factory;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** Builds the application and calls its {@code onStart}, on the worker thread. */
  public void boot(Runnable onBooted, Consumer<Throwable> onFailed) {
    executor.execute(() -> {
      try {
        app = factory.get();
        app.onStart();
        onBooted.run();
      } catch (Throwable t) {
        onFailed.accept(t);
      }
    });
  }

  /**
   * Runs one request. An exception becomes a 500 for that request only; an {@link Error} also
   * answers 500 but is reported through {@code onCrash}, since the worker's state can no longer be
   * trusted.
   */
  public void run(Job job, Runnable onFinished, Consumer<Error> onCrash) {
    executor.execute(() -> {
      Response response;
      try {
        response = app.handle(job.request());
        if (response == null) {
          log.error("Handler returned null for {}", job.request());
          response = Responses.internalError();
        }
      } catch (Exception e) {
        log.error("Error handling request {}", job.request(), e);
        response = Responses.internalError();
      } catch (Error fatal) {
        log.error("Fatal error handling request {}; the worker will be replaced", job.request(), fatal);
        job.complete(Responses.internalError());
        onCrash.accept(fatal);
        return;
      }
      job.complete(response);
      onFinished.run();
    });
  }

  /** Calls the application's {@code onStop} after any queued work, then lets the thread end. */
  public void stop() {
    try {
      executor.execute(() -> {
        Application booted = app;
        if (booted == null) {
          return;
        }
        try {
          booted.onStop();
        } catch (Throwable t) {
          log.warn("Application onStop failed", t);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException alreadyStopped) {
      // stop() was called twice; nothing left to do
    }
    executor.shutdown();
  }
}
