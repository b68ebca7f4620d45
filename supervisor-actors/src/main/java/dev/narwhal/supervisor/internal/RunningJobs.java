package dev.narwhal.supervisor.internal;

import dev.narwhal.Responses;
import dev.narwhal.supervisor.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * INTERNAL API. The jobs a worker's engine has in hand, each with the thread running it, and the
 * ones given up on: answered 504 at their timeout, their thread interrupted, and counted as stuck
 * until that thread returns (a handler that ignores interrupts may never).
 *
 * <p>Touched by every engine thread and by the worker actor's timeout check at once, hence the
 * concurrent collections; a job's answer is decided by {@link Job#complete}, which only the first
 * caller wins, so a 504 and the handler's own answer cannot both go out.
 */
final class RunningJobs {
  /** Stands for "no thread": a request not started yet, or an async one waiting on its stage. */
  static final Thread NO_THREAD = Thread.ofVirtual().unstarted(() -> { });

  private final Map<Job, Thread> running = new ConcurrentHashMap<>();
  /** Jobs answered 504 whose threads have not returned yet: the stuck ones. */
  private final Set<Job> expired = ConcurrentHashMap.newKeySet();

  /** The jobs in hand (a live view): what /stats shows and what a close cuts short. */
  Set<Job> jobs() {
    return running.keySet();
  }

  /** {@code job} runs on {@code thread} now ({@link #NO_THREAD} while it holds none). */
  void runOn(Job job, Thread thread) {
    running.put(job, thread);
  }

  /** {@code job} was never started after all (its engine refused it). */
  void forget(Job job) {
    running.remove(job);
  }

  /** The job's thread is free again; if the job had been given up on, it is no longer stuck. */
  void finished(Job job) {
    running.remove(job);
    expired.remove(job);
  }

  /** Threads of jobs answered 504 that have not returned yet. */
  int stuck() {
    return expired.size();
  }

  /**
   * Answers 504 for every job running for {@code timeoutNanos} or longer, interrupts its thread
   * and leaves it (if it never returns, it stays stuck and counted). Returns what expired.
   */
  List<RequestRunner.Expired> expire(long timeoutNanos) {
    List<RequestRunner.Expired> gone = new ArrayList<>();
    long now = System.nanoTime();
    for (Map.Entry<Job, Thread> e : running.entrySet()) {
      Job job = e.getKey();
      // counted stuck before the 504 goes out: its thread may return (finished) the moment it
      // has, and must find it counted, or it would stay counted for good. A job counted already
      // was given up on by an earlier sweep and is still stuck: left as it is.
      if (now - job.startedNanos() < timeoutNanos || !expired.add(job)) {
        continue;
      }
      if (!job.complete(Responses.timedOut())) {
        expired.remove(job); // answered by its handler meanwhile
        continue;
      }
      Thread thread = e.getValue() == NO_THREAD ? null : e.getValue();
      StackTraceElement[] stack = thread == null ? new StackTraceElement[0] : thread.getStackTrace();
      if (thread != null) {
        thread.interrupt();
      }
      gone.add(new RequestRunner.Expired(job, thread, stack));
    }
    return gone;
  }
}
