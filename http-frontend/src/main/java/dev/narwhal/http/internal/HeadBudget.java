package dev.narwhal.http.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * INTERNAL API. How many bytes of incomplete request heads the process holds at once, over every
 * connection. The framing guard holds a head until it is whole, up to the parser's limits (about
 * 858 KB at the defaults), for as long as header-timeout: without a cap on the sum, a few hundred
 * connections each trickling a large head fill the heap. Each connection holds its first
 * {@link #FREE} bytes outside the budget, so ordinary heads never touch the shared counter; a head
 * beyond that which the budget cannot take is refused with 503 ({@link FramingViolation#HEADS_OVER_BUDGET}).
 */
final class HeadBudget {
  /**
   * Bytes of a head each connection holds without asking: most heads are smaller and whole in one
   * read, so they never touch the counter. Kept small: at max-connections (16384) it is 64 MiB
   * outside the budget.
   */
  static final long FREE = 4 * 1024;
  /** The process's budget: an eighth of the largest heap. */
  static final HeadBudget PROCESS = new HeadBudget(Runtime.getRuntime().maxMemory() / 8);
  /** No limit: for a scan outside a server. */
  static final HeadBudget UNLIMITED = new HeadBudget(Long.MAX_VALUE / 2);

  private final AtomicLong left;

  HeadBudget(long bytes) {
    this.left = new AtomicLong(bytes);
  }

  /** One connection's share. Not thread-safe: one connection's stage uses it. */
  Account account() {
    return new Account();
  }

  final class Account {
    private long taken;

    private Account() {}

    /** Whether the connection may hold {@code bytes} of an incomplete head; false leaves its share as it was. */
    boolean hold(long bytes) {
      long want = Math.max(0, bytes - FREE);
      long more = want - taken;
      if (more > 0 && left.addAndGet(-more) < 0) {
        left.addAndGet(more);
        return false;
      }
      if (more < 0) {
        left.addAndGet(-more);
      }
      taken = want;
      return true;
    }

    /** The connection holds no head any more (whole, refused, or the connection ended). */
    void release() {
      if (taken > 0) {
        hold(0);
      }
    }
  }
}
