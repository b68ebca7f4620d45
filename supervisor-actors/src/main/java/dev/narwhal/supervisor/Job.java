package dev.narwhal.supervisor;

import dev.narwhal.Request;
import dev.narwhal.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One accepted request on its way to a worker, and the promise of its response.
 *
 * <p>Whoever answers first wins: the worker with the handler's response, or the supervision with a
 * 503/504. Later answers are ignored, so an abandoned thread that finally returns cannot answer
 * twice.
 */
public final class Job {
  private static final AtomicIntegerFieldUpdater<Job> ANSWERED =
      AtomicIntegerFieldUpdater.newUpdater(Job.class, "answered");
  private final Request request;
  private final CompletableFuture<Response> reply = new CompletableFuture<>();
  private final long acceptedNanos = System.nanoTime();
  /** Set when a worker begins running it; 0 until then. Read by the timeout sweep, stats and metrics. */
  private volatile long startedNanos;
  /** The queue that counts it in flight under a concurrency limit, told when it is answered; else null. */
  private volatile WorkQueue admittedBy;
  /** 1 once answered, when {@link #admittedBy} must hear of it exactly once. */
  private volatile int answered;

  public Job(Request request) {
    this.request = request;
  }

  public Request request() {
    return request;
  }

  /** Completes once, with whichever answer comes first. */
  public CompletionStage<Response> response() {
    return reply;
  }

  /** Answers the request; returns false if it was already answered. */
  public boolean complete(Response response) {
    WorkQueue queue = admittedBy;
    if (queue != null) {
      // before the answer goes out, so a client that sends its next request on receiving this
      // answer finds this one no longer counted
      if (!ANSWERED.compareAndSet(this, 0, 1)) {
        return false;
      }
      queue.finished(this, System.nanoTime());
    }
    return reply.complete(response);
  }

  /** Counted in flight by {@code queue}'s concurrency limit until answered; set before any worker sees it. */
  void admittedBy(WorkQueue queue) {
    admittedBy = queue;
  }

  public boolean isAnswered() {
    return reply.isDone();
  }

  /** When the front end accepted it, in {@link System#nanoTime()} terms. */
  public long acceptedNanos() {
    return acceptedNanos;
  }

  /** Marks the moment a worker began running it: the start of its timeout. */
  public void markStarted() {
    startedNanos = System.nanoTime();
  }

  /**
   * When a worker began running it, in {@link System#nanoTime()} terms; 0 before that, and for good
   * if no worker ever did (it waited and was answered 503). {@code startedNanos - acceptedNanos} is
   * the time it spent queued.
   */
  public long startedNanos() {
    return startedNanos;
  }

  @Override
  public String toString() {
    return "Job[" + request.method() + " " + request.path() + "]";
  }
}
