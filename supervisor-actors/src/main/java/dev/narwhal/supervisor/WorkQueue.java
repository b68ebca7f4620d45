package dev.narwhal.supervisor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Pull dispatch, gunicorn's accept loop in one object: workers with free capacity park here, and
 * each accepted request goes straight to a parked worker, or waits in a bounded backlog that the
 * next worker to free up drains.
 *
 * <p>This is the hot path, so it involves no actor: the front end calls {@link #submit} from its
 * own threads and hands the job straight to a parked slot, which starts it on a worker thread; a
 * worker thread that finishes a request takes the next one itself. The arbiter and the worker
 * actors are never involved per request. One short lock guards both deques, which is what makes
 * "no idle slot" and "backlog empty" a consistent pair (with two lock-free structures a job can be
 * queued just as the last slot parks, and wait forever).
 *
 * <p>With a {@link ConcurrencyLimit} it also refuses a request at once when the requests in flight
 * (waiting plus running) have reached the limit, fixed or adaptive ({@link GradientLimit}). The
 * count and the adaptive limit's samples live under the same lock, taken once more when an admitted
 * request is answered ({@link Job#complete}); with the limit off nothing of this runs.
 */
public final class WorkQueue {

  /**
   * A unit of a worker's capacity. A worker that can run N requests at once parks up to N times;
   * the same slot object may be parked more than once.
   */
  public interface Slot {
    /**
     * Runs the job. Called outside the queue's lock, on the submitting thread: it must not block.
     * A slot that can no longer run jobs hands the job back with {@link WorkQueue#resubmit}.
     */
    void take(Job job);
  }

  /** Why {@link #admit} took a request or not; {@link #label()} is the shed metric's reason tag. */
  public enum Verdict {
    ACCEPTED("accepted"),
    /** closed: the server is stopping */
    STOPPING("stopping"),
    /** every worker busy and the backlog full */
    BACKLOG_FULL("backlog_full"),
    /** the requests in flight have reached the concurrency limit */
    CONCURRENCY_LIMIT("concurrency_limit");

    private final String label;

    Verdict(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * The admission figures for {@code /stats} and the metrics.
   *
   * @param mode the {@code concurrency-limit} setting: off, auto or the fixed number
   * @param limit the limit now; 0 when off
   * @param inFlight requests admitted and not yet answered; 0 when off (not counted)
   * @param shedByLimit requests refused because of the limit, since start
   * @param shedByBacklog requests refused because the backlog was full, since start
   */
  public record Admission(String mode, int limit, int inFlight, long shedByLimit, long shedByBacklog) {
    public static final Admission OFF = new Admission("off", 0, 0, 0, 0);
  }

  private final Object lock = new Object();
  private final int capacity;
  private final ConcurrencyLimit limits;
  /** The adaptive limit; null unless {@code auto}. */
  private final GradientLimit adaptive;
  /** Requests admitted and not yet answered, counted only with a limit. */
  private int inFlight;
  private long shedByLimit;
  private long shedByBacklog;
  private final ArrayDeque<Job> waiting = new ArrayDeque<>();
  private final ArrayDeque<Slot> idle = new ArrayDeque<>();
  private boolean closed;

  /** @param capacity how many jobs may wait for a worker (the {@code backlog} setting) */
  public WorkQueue(int capacity) {
    this(capacity, ConcurrencyLimit.OFF);
  }

  /**
   * @param capacity how many jobs may wait for a worker (the {@code backlog} setting)
   * @param limits how many may be in flight, waiting and running (the {@code concurrency-limit} settings)
   */
  public WorkQueue(int capacity, ConcurrencyLimit limits) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.capacity = capacity;
    this.limits = limits;
    this.adaptive = limits.mode() == ConcurrencyLimit.Mode.AUTO
        ? new GradientLimit(limits.initial(), limits.min(), limits.max())
        : null;
  }

  /**
   * Offers a new request. Returns false when it cannot be taken (backlog full, concurrency limit
   * reached, or the server is stopping): the caller answers 503 at once.
   */
  public boolean submit(Job job) {
    return offer(job, true) == Verdict.ACCEPTED;
  }

  /** Like {@link #submit}, saying why a refused request was refused. */
  public Verdict admit(Job job) {
    return offer(job, true);
  }

  /**
   * Hands a request to a free unit of capacity at once, or refuses it (false) without queueing it:
   * for a request another node forwarded, which must start now so that its answer comes back
   * within the time the forwarding node waits.
   */
  public boolean submitIfIdle(Job job) {
    return offer(job, false) == Verdict.ACCEPTED;
  }

  /** To an idle unit of capacity, else (when {@code mayWait} and there is room) to the backlog. */
  private Verdict offer(Job job, boolean mayWait) {
    Slot slot;
    synchronized (lock) {
      if (closed) {
        return Verdict.STOPPING;
      }
      boolean limited = limits.mode() != ConcurrencyLimit.Mode.OFF;
      if (limited && inFlight >= limitNow()) {
        shedByLimit++;
        return Verdict.CONCURRENCY_LIMIT;
      }
      slot = idle.pollFirst();
      if (slot == null && (!mayWait || waiting.size() >= capacity)) {
        if (mayWait) {
          shedByBacklog++;
        }
        return Verdict.BACKLOG_FULL;
      }
      if (limited) {
        inFlight++;
        job.admittedBy(this);
      }
      if (slot == null) {
        waiting.addLast(job);
        return Verdict.ACCEPTED;
      }
    }
    slot.take(job);
    return Verdict.ACCEPTED;
  }

  private int limitNow() {
    return adaptive != null ? adaptive.limit() : limits.initial();
  }

  /** An admitted job was answered at {@code nowNanos}: no longer in flight, and a sample if a worker ran it. */
  void finished(Job job, long nowNanos) {
    long started = job.startedNanos();
    long accepted = job.acceptedNanos();
    synchronized (lock) {
      if (adaptive != null && started != 0) {
        adaptive.sample(nowNanos, started - accepted, nowNanos - started, inFlight);
      }
      inFlight--;
    }
  }

  /** The limit, what is in flight and what was shed, now. */
  public Admission admission() {
    synchronized (lock) {
      boolean limited = limits.mode() != ConcurrencyLimit.Mode.OFF;
      return new Admission(limits.label(), limited ? limitNow() : 0, inFlight, shedByLimit, shedByBacklog);
    }
  }


  /**
   * Puts back a job that was accepted but never run (its worker stopped before starting it). It
   * goes first and ignores the capacity and the closed flag: it was accepted, so it must be answered.
   */
  public void resubmit(Job job) {
    Slot slot;
    synchronized (lock) {
      slot = idle.pollFirst();
      if (slot == null) {
        waiting.addFirst(job);
        return;
      }
    }
    slot.take(job);
  }

  /**
   * Takes a job out of the backlog before any worker starts it, because nobody waits for its answer
   * any more (its client has gone). True if it was waiting: no worker will run it, and answering it
   * is the caller's. False if it is not waiting (already running, or already answered).
   */
  public boolean cancel(Job job) {
    synchronized (lock) {
      return waiting.remove(job);
    }
  }

  /** Called for a free unit of capacity: the next waiting job, or null after parking the slot. */
  public Job nextOrPark(Slot slot) {
    synchronized (lock) {
      Job job = waiting.pollFirst();
      if (job == null) {
        idle.addLast(slot);
      }
      return job;
    }
  }

  /** Removes every parked unit of a slot that is retiring or gone. */
  public void unpark(Slot slot) {
    synchronized (lock) {
      idle.removeIf(parked -> parked == slot);
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

  /** How many free units of capacity are parked now. */
  public int idleCount() {
    synchronized (lock) {
      return idle.size();
    }
  }
}
