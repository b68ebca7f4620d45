package dev.narwhal.http.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * INTERNAL API. {@code max-body-buffer}: how many request body bytes the whole server holds at
 * once, in the heap and in spool files together. {@code limit-request-body} bounds one body and
 * {@code body-timeout} the pauses within it, but neither bounds their sum: without this, N clients
 * each sending most of a large body and then a byte now and then pin N such bodies (in
 * worker-tmp-dir, often a RAM-backed /dev/shm) for as long as they like.
 *
 * <p>Each request takes a {@link Reservation}; bytes are reserved as they arrive, or all at once
 * when Content-Length announces them, and the whole reservation goes back with one
 * {@link Reservation#close()} once the request is answered, whichever way (served, refused, timed
 * out, client gone). Close is idempotent, so every path may call it without counting twice.
 */
final class BodyBudget {
  /** When a client refused for a full budget may try again: the bodies in progress take a while. */
  static final long RETRY_AFTER_SECONDS = 5;

  private final long limit;
  private final AtomicLong used = new AtomicLong();

  /** @param limit the most bytes held at once; 0 for no limit (the bytes are still counted) */
  BodyBudget(long limit) {
    this.limit = limit;
  }

  /** Bytes reserved now, by every request still holding a body. */
  long used() {
    return used.get();
  }

  /** True when a body of {@code size} bytes can never fit, however empty the server is. */
  boolean neverFits(long size) {
    return limit != 0 && size > limit;
  }

  /**
   * The answer to a body this budget refused (its bytes unread, so the connection closes): 503,
   * to be sent with Retry-After, when other bodies fill the budget, since the server is full for now
   * and not the request too large (413 would tell the client never to retry it); 413 when its
   * Content-Length alone is over the budget, or over limit-request-body (Pekko's 413, had the budget
   * not come first).
   */
  FramingGuard.Rejection refusal(long contentLength, long limitRequestBody) {
    return neverFits(contentLength) || (limitRequestBody != 0 && contentLength > limitRequestBody)
        ? new FramingGuard.Rejection(413, "Request body too large")
        : new FramingGuard.Rejection(503, "Server busy: too many request bodies in progress");
  }

  /** A new, empty reservation for one request. */
  Reservation open() {
    return new Reservation();
  }

  private boolean take(long bytes, boolean force) {
    while (true) {
      long now = used.get();
      long next = now + bytes;
      if (!force && limit != 0 && next > limit) {
        return false;
      }
      if (used.compareAndSet(now, next)) {
        return true;
      }
    }
  }

  /** One request's share of the budget. Thread-safe: bytes arrive on one thread, the answer on another. */
  final class Reservation implements AutoCloseable {
    private long held;
    private boolean closed;

    /**
     * Reserves {@code bytes} more; false, reserving nothing, when the budget cannot take them or
     * the reservation is already closed (its request answered: late bytes must not be counted).
     */
    synchronized boolean reserve(long bytes) {
      if (closed || !take(bytes, false)) {
        return false;
      }
      held += bytes;
      return true;
    }

    /** Counts bytes the server already holds (a body that came with its head): never refused. */
    synchronized void count(long bytes) {
      if (!closed) {
        take(bytes, true);
        held += bytes;
      }
    }

    /** Gives every byte back; later calls do nothing. */
    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        used.addAndGet(-held);
        held = 0;
      }
    }
  }

  /** A body refused because the budget is full: answered 503 (or 413 if it can never fit). */
  static final class Exhausted extends RuntimeException {
    Exhausted() {
      super("max-body-buffer is full", null, false, false);
    }
  }
}
