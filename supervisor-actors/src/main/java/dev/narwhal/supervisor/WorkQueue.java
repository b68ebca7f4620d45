package dev.narwhal.supervisor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Pull dispatch, gunicorn's accept loop in one object: workers with free capacity park here, and
 * each accepted request goes straight to a parked worker, or waits in a bounded backlog that the
 * next worker to free up drains.
 *
 * <p>This is the hot path, so it is not an actor: the front end calls {@link #submit} from its own
 * threads and reaches a worker with a single {@code tell}; the arbiter is never involved. One short
 * lock guards both deques, which is what makes "no idle worker" and "backlog empty" a consistent
 * pair (with two lock-free structures a job can be queued just as the last worker parks, and wait
 * forever).
 */
public final class WorkQueue {
  private final Object lock = new Object();
  private final int capacity;
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final ArrayDeque<ActorRef<Worker.Command>> idle = new ArrayDeque<>();
  private boolean closed;

  /** @param capacity how many jobs may wait for a worker (the {@code backlog} setting) */
  public WorkQueue(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
  }

  /**
   * Offers a new request. Returns false when it cannot be taken (backlog full, or the server is
   * stopping): the caller answers 503 at once.
   */
  public boolean submit(Job job) {
    ActorRef<Worker.Command> worker;
    synchronized (lock) {
      if (closed) {
        return false;
      }
      worker = idle.pollFirst();
      if (worker == null) {
        if (waiting.size() >= capacity) {
          return false;
        }
        waiting.addLast(job);
        return true;
      }
    }
    worker.tell(new Worker.Handle(job));
    return true;
  }

  /**
   * Puts back a job that was accepted but never run (its worker died before taking it). It goes
   * first and ignores the capacity and the closed flag: it was accepted, so it must be answered.
   */
  public void resubmit(Job job) {
    ActorRef<Worker.Command> worker;
    synchronized (lock) {
      worker = idle.pollFirst();
      if (worker == null) {
        waiting.addFirst(job);
        return;
      }
    }
    worker.tell(new Worker.Handle(job));
  }

  /** Called by a worker with a free slot: the next waiting job, or null after parking the worker. */
  public Job nextOrPark(ActorRef<Worker.Command> worker) {
    synchronized (lock) {
      Job job = waiting.pollFirst();
      if (job == null) {
        idle.addLast(worker);
      }
      return job;
    }
  }

  /** Removes every parked slot of a worker that is retiring or gone. */
  public void unpark(ActorRef<Worker.Command> worker) {
    synchronized (lock) {
      idle.removeIf(worker::equals);
    }
  }

  /** Stops taking new requests; jobs already waiting stay and are still served. */
  public void close() {
    synchronized (lock) {
      closed = true;
    }
  }

  /** Takes every waiting job out, for the caller to answer (a quick stop, a graceful-timeout). */
  public List<Job> drainWaiting() {
    synchronized (lock) {
      List<Job> jobs = new ArrayList<>(waiting);
      waiting.clear();
      return jobs;
    }
  }

  /** How many jobs wait for a worker now. */
  public int waitingCount() {
    synchronized (lock) {
      return waiting.size();
    }
  }

  /** How many free worker slots are parked now. */
  public int idleCount() {
    synchronized (lock) {
      return idle.size();
    }
  }
}
