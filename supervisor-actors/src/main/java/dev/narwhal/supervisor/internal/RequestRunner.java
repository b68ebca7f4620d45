package dev.narwhal.supervisor.internal;

import dev.narwhal.Application;
import dev.narwhal.Response;
import dev.narwhal.WorkerInfo;
import dev.narwhal.supervisor.ApplicationSource;
import dev.narwhal.supervisor.Job;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
  private final ApplicationSource source;
  private final HookInvoker hooks;
  private final Supplier<WorkerInfo> info;
  private volatile Thread thread;
  /** Written on the worker thread at boot; only read there afterwards. */
  private Application app;

  public RequestRunner(String threadName, ApplicationSource source, HookInvoker hooks, Supplier<WorkerInfo> info) {
    this.source = source;
    this.hooks = hooks;
    this.info = info;
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      thread = t;
      return t;
    });
  }

  /** Gets the application (building it and running its {@code onStart} unless preloaded), on the worker thread. */
  public void boot(Runnable onBooted, Consumer<Throwable> onFailed) {
    executor.execute(() -> {
      try {
        hooks.call("afterWorkerStart", h -> h.afterWorkerStart(info.get()));
        app = source.acquire();
        hooks.call("afterWorkerAppInit", h -> h.afterWorkerAppInit(info.get()));
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
      hooks.call("beforeRequest", h -> h.beforeRequest(info.get(), job.request()));
      Response response;
      try {
        response = app.handle(job.request());
        if (response == null) {
          log.error("Handler returned null for {}", job.request());
          response = Responses.internalError();
        }
      } catch (Exception e) {
        if (job.isAnswered()) {
          return; // timed out and interrupted: the 504 went out, and the actor has moved on
        }
        log.error("Error handling request {}", job.request(), e);
        response = Responses.internalError();
      } catch (Error fatal) {
        log.error("Fatal error handling request {}; the worker will be replaced", job.request(), fatal);
        job.complete(Responses.internalError());
        onCrash.accept(fatal);
        return;
      }
      Response sent = response;
      job.complete(sent);
      hooks.call("afterRequest", h -> h.afterRequest(info.get(), job.request(), sent));
      onFinished.run();
    });
  }

  /** Where the worker thread is now: the stack a WORKER TIMEOUT report shows. */
  public StackTraceElement[] stack() {
    Thread t = thread;
    return t == null ? new StackTraceElement[0] : t.getStackTrace();
  }

  /** The worker thread, once started. */
  public Thread thread() {
    return thread;
  }

  /**
   * Gives up on a stuck thread: interrupts it and lets it finish (or not) on its own. The
   * application instance is not stopped, since its thread is the one that is stuck.
   */
  public void abandon() {
    executor.shutdownNow();
  }

  /** Releases the application after any queued work (its {@code onStop}), then lets the thread end. */
  public void stop() {
    try {
      executor.execute(() -> {
        Application booted = app;
        if (booted == null) {
          return;
        }
        try {
          source.release(booted);
        } catch (Throwable t) {
          log.warn("Application onStop failed", t);
        }
      });
    } catch (RejectedExecutionException alreadyStopped) {
      // abandoned or stopped before: nothing left to do
    }
    executor.shutdown();
  }
}
