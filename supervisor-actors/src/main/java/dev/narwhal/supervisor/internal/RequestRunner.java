package dev.narwhal.supervisor.internal;

import dev.narwhal.Application;
import dev.narwhal.AsyncHandler;
import dev.narwhal.Response;
import dev.narwhal.Responses;
import dev.narwhal.WorkerInfo;
import dev.narwhal.spi.SupervisionPolicy;
import dev.narwhal.spi.WorkerExtension;
import dev.narwhal.supervisor.ApplicationSource;
import dev.narwhal.supervisor.HookInvoker;
import dev.narwhal.supervisor.Job;
import dev.narwhal.supervisor.WorkQueue;
import dev.narwhal.supervisor.WorkerClass;
import dev.narwhal.supervisor.WorkerMeter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API. A worker's engine: its threads, its application instance, and its units of
 * capacity in the {@link WorkQueue}.
 *
 * <p>Created and owned by one worker actor, which it tells about lifecycle events only (booted,
 * limit reached, drained, crashed), never per request: a worker thread that finishes a request
 * pulls the next one from the queue itself. Handlers block, so they run on the engine's own
 * threads, never on a Pekko dispatcher. Platform threads are daemons: a handler that never
 * returns must not keep the JVM alive after the server stopped.
 */
public final class RequestRunner implements WorkQueue.Slot {
  private static final Logger log = LoggerFactory.getLogger("narwhal.error");

  /** What the owning actor hears; called from the engine's threads. */
  public interface Events {
    void booted();

    void bootFailed(Throwable cause);

    /** The worker has served its request limit; sent once. */
    void limitReached();

    /** Retiring, and nothing is running any more (stuck requests aside). */
    void drained();

    /** A handler failed and the supervision policy wants the worker gone ({@code decision} says how). */
    void crashed(Throwable cause, SupervisionPolicy.Decision decision);
  }

  /** A request that overran the timeout, answered 504; its thread was interrupted. */
  public record Expired(Job job, Thread thread, StackTraceElement[] stack) {}

  private final WorkerClass kind;
  private final int capacity;
  private final ExecutorService executor;
  private final ApplicationSource source;
  private final WorkQueue queue;
  private final WorkerMeter meter;
  private final long requestLimit;
  private final HookInvoker hooks;
  private final Supplier<WorkerInfo> info;
  private final Events events;
  private final WorkerExtension extension;
  private final SupervisionPolicy policy;
  private final Inbox inbox = new Inbox();
  private final RunningJobs running = new RunningJobs();
  private final AtomicBoolean limitAnnounced = new AtomicBoolean();
  private final AtomicBoolean drainAnnounced = new AtomicBoolean();
  private volatile boolean retiring;
  private volatile boolean closed;
  /** Written on an engine thread at boot, before any request; read by them afterwards. */
  private volatile Application app;
  /** The engine thread running the boot, while it runs: what {@link #abandonBoot} leaves behind. */
  private volatile Thread bootThread;

  public RequestRunner(String name, WorkerClass kind, int capacity, ApplicationSource source, WorkQueue queue,
      WorkerMeter meter, long requestLimit, HookInvoker hooks, Supplier<WorkerInfo> info, Events events,
      WorkerExtension extension, SupervisionPolicy policy) {
    this.kind = kind;
    this.capacity = kind == WorkerClass.SYNC ? 1 : capacity;
    this.source = source;
    this.queue = queue;
    this.meter = meter;
    this.requestLimit = requestLimit;
    this.hooks = hooks;
    this.info = info;
    this.events = events;
    this.extension = extension;
    this.policy = policy;
    this.executor = EngineThreads.executorFor(kind, this.capacity, name);
    meter.track(running.jobs()); // /stats reads the requests in hand from here
  }


  /** Gets the application (building it and running its {@code onStart} unless preloaded) on an engine thread. */
  public void boot() {
    executor.execute(() -> {
      bootThread = Thread.currentThread();
      try {
        hooks.call("afterWorkerStart", h -> h.afterWorkerStart(info.get()));
        Application acquired = source.acquire();
        if (kind == WorkerClass.ASYNC && !(acquired instanceof AsyncHandler)) {
          throw new IllegalStateException("worker class 'async' needs an application implementing "
              + "dev.narwhal.AsyncApplication; " + acquired.getClass().getName() + " does not");
        }
        app = acquired;
        hooks.call("afterWorkerAppInit", h -> h.afterWorkerAppInit(info.get()));
        events.booted();
      } catch (Throwable t) {
        events.bootFailed(t);
      } finally {
        bootThread = null;
      }
    });
  }

  /** Offers every unit of capacity to the queue: starts waiting jobs at once, parks the rest. */
  public void open() {
    for (int unit = 0; unit < capacity; unit++) {
      Job job = queue.nextOrPark(this);
      if (job != null) {
        take(job);
      }
    }
  }

  /**
   * Starts a job on this worker. The lock makes "running or refused" atomic against
   * {@link #retire()} and {@link #close()}: a job is either registered before the worker retires or
   * closes (and then answered: by the handler, or 503 at close), or handed back to the queue.
   */
  @Override
  public void take(Job job) {
    synchronized (this) {
      if (!retiring && !closed) {
        register(job, RunningJobs.NO_THREAD);
        try {
          executor.execute(() -> serve(job));
          return;
        } catch (RejectedExecutionException stopped) {
          running.forget(job);
          meter.cancelled();
        }
      }
    }
    queue.resubmit(job);
    announceIfDrained();
  }

  private void register(Job job, Thread thread) {
    meter.started();
    job.markStarted();
    running.runOn(job, thread);
  }

  /** Runs {@code first}, then keeps taking the next waiting job on this thread while there is one. */
  private void serve(Job first) {
    Job job = first;
    while (job != null) {
      if (kind == WorkerClass.ASYNC) {
        serveAsync(job);
        return;
      }
      running.runOn(job, Thread.currentThread());
      boolean fatal = handle(job);
      running.finished(job);
      if (fatal) {
        return;
      }
      job = next(Thread.currentThread());
    }
  }

  /** Runs the handler and answers the job; true when it raised an Error. */
  private boolean handle(Job job) {
    hooks.call("beforeRequest", h -> h.beforeRequest(info.get(), job.request()));
    Response response;
    try {
      response = extension.intercept(job.request(), app);
      if (response == null) {
        log.error("Handler returned null for {}", job.request());
        response = Responses.internalError();
      }
    } catch (Throwable failure) {
      if (failure instanceof Exception && job.isAnswered()) {
        return false; // timed out and interrupted: the 504 already went out
      }
      meter.failed();
      var decision = policy.decide(new SupervisionPolicy.HandlerFailed(info.get(), job.request(), failure));
      if (!(decision instanceof SupervisionPolicy.Keep)) {
        log.error("Fatal error handling request {}; the worker will be replaced", job.request(), failure);
        job.complete(Responses.internalError());
        meter.finished();
        events.crashed(failure, decision);
        return true;
      }
      log.error("Error handling request {}", job.request(), failure);
      response = Responses.internalError();
    }
    answer(job, response);
    return false;
  }

  private void serveAsync(Job job) {
    running.runOn(job, Thread.currentThread());
    hooks.call("beforeRequest", h -> h.beforeRequest(info.get(), job.request()));
    CompletionStage<Response> stage;
    try {
      stage = ((AsyncHandler) app).handleAsync(job.request());
    } catch (Exception e) {
      log.error("Error handling request {}", job.request(), e);
      stage = CompletableFuture.completedFuture(Responses.internalError());
    }
    running.runOn(job, RunningJobs.NO_THREAD); // the handler returned: no thread is held while the stage is pending
    stage.whenComplete((response, error) -> {
      running.finished(job);
      if (error != null) {
        log.error("Error handling request {}", job.request(), error);
      }
      answer(job, error != null || response == null ? Responses.internalError() : response);
      Job next = next(RunningJobs.NO_THREAD);
      if (next != null) {
        try {
          executor.execute(() -> serve(next));
        } catch (RejectedExecutionException stopped) {
          next.complete(Responses.unavailable()); // closed meanwhile: close() has answered the others alike
        }
      }
    });
  }

  private void answer(Job job, Response response) {
    if (job.complete(response)) {
      hooks.call("afterRequest", h -> h.afterRequest(info.get(), job.request(), response));
    }
  }

  /**
   * Bookkeeping after a request, then the next job for this unit of capacity (already registered
   * as running on {@code thread}), or null after parking the unit.
   */
  private Job next(Thread thread) {
    meter.finished();
    inbox.deliver(extension, app);
    if (requestLimit > 0 && meter.served() >= requestLimit && limitAnnounced.compareAndSet(false, true)) {
      events.limitReached();
    }
    Job job = retiring || closed ? null : queue.nextOrPark(this);
    if (job != null) {
      synchronized (this) {
        if (!retiring && !closed) {
          register(job, thread);
          return job;
        }
      }
      queue.resubmit(job);
    } else if (retiring || closed) {
      queue.unpark(this); // parked just as the worker began to retire: take the unit back out
    }
    announceIfDrained();
    return null;
  }

  /** A broadcast message, for a request thread: now if one is free, else between two requests. */
  public void deliver(Object message) {
    inbox.add(message);
    try {
      executor.execute(() -> inbox.deliver(extension, app));
    } catch (RejectedExecutionException stopped) {
      // stopping: the message goes nowhere, like one sent a moment later
    }
  }

  /** Stops taking requests; the owner hears {@link Events#drained()} once nothing runs. */
  public void retire() {
    synchronized (this) {
      retiring = true;
    }
    queue.unpark(this);
    announceIfDrained();
  }

  private void announceIfDrained() {
    if (retiring && active() == 0 && drainAnnounced.compareAndSet(false, true)) {
      events.drained();
    }
  }

  /** Requests running now, not counting stuck ones already answered 504. */
  public int active() {
    return Math.max(0, meter.inFlight() - running.stuck());
  }

  /**
   * Answers 504 for every request running longer than {@code timeoutNanos}, interrupts its thread
   * and leaves it (if it never returns, it stays stuck and counted). Returns what expired.
   */
  public List<Expired> expire(long timeoutNanos) {
    List<Expired> expired = running.expire(timeoutNanos);
    announceIfDrained();
    return expired;
  }

  /**
   * Stops for good: no more requests; requests still running are answered 503 (they were cut
   * short) and their threads interrupted; otherwise the application is released on an engine
   * thread after any queued work. Returns how many requests were cut short.
   */
  public int close() {
    synchronized (this) {
      closed = true;
    }
    queue.unpark(this);
    int cut = 0;
    for (Job job : running.jobs()) {
      if (job.complete(Responses.unavailable())) {
        cut++;
      }
    }
    if (cut > 0 || running.stuck() > 0) {
      executor.shutdownNow();
      return cut;
    }
    try {
      executor.execute(this::release);
    } catch (RejectedExecutionException alreadyStopped) {
      // nothing left to release
    }
    executor.shutdown();
    return 0;
  }

  private void release() {
    Application booted = app;
    if (booted == null) {
      return;
    }
    try {
      source.release(booted);
    } catch (Throwable t) {
      log.warn("Application onStop failed", t);
    }
  }

  /**
   * Gives up on a boot that overran its timeout: interrupt and leave its thread. Returns that
   * thread, or null when the boot finished meanwhile (or never started).
   */
  public Thread abandonBoot() {
    closed = true;
    Thread left = bootThread;
    executor.shutdownNow();
    return left;
  }

  public int capacity() {
    return capacity;
  }
}
