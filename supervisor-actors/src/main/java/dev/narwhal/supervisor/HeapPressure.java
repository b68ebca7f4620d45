package dev.narwhal.supervisor;

/**
 * When heap pressure should recycle a worker: the old generation, read after each garbage
 * collection, above {@code threshold} of the maximum heap for {@code collections} collections in a
 * row. Process RSS is too noisy for this (gunicorn refuses memory-based recycling for that reason,
 * its issue #3581), but within one JVM the heap after a collection is exact.
 *
 * <p>After a recycle the next one waits until the old generation has come down below its reading
 * at the recycle (and at least as many collections have passed): the retired worker drains, its
 * state becomes garbage, and only a collection of the old generation (a mixed or full one, not the
 * young collections in between) frees it. Judging by young collections alone read the old
 * generation as still full and recycled every worker in a row for one leak. A recycle that frees
 * nothing ends its wait after {@link #GIVE_UP} times as many collections, so a leak outside the
 * workers cannot stop recycling for good. The reading that ends the wait reports what was reclaimed,
 * and counting starts over from there.
 *
 * <p>Pure and mutable: driven by readings, unit-tested with synthetic ones; owned by the arbiter.
 */
public final class HeapPressure {

  /**
   * @param threshold share of the maximum heap, {@code 0 < threshold < 1}; 0 disables
   * @param collections consecutive collections above it before a recycle, at least 1
   */
  public record Limits(double threshold, int collections) {
    public static final Limits OFF = new Limits(0, 1);

    public Limits {
      if (threshold < 0 || threshold >= 1 || collections < 1) {
        throw new IllegalArgumentException("threshold must be in [0, 1) and collections >= 1");
      }
    }

    boolean enabled() {
      return threshold > 0;
    }
  }

  /** What one reading means. */
  sealed interface Verdict permits Calm, Recycle, Reclaimed {}

  /** Nothing to do. */
  record Calm() implements Verdict {}

  /** The old generation stayed above the threshold long enough: recycle one worker (oldest first). */
  record Recycle(long used, long max, int collections) implements Verdict {}

  /** The reading that ends a recycle's wait: old gen at the recycle, and the lowest since. */
  record Reclaimed(long before, long after, long max) implements Verdict {}

  private static final Verdict CALM = new Calm();
  /** A recycle's wait ends after this many times {@code collections} readings, freed or not. */
  static final int GIVE_UP = 10;

  private Limits limits;
  private int above;
  /** Readings passed since a recycle still waiting to be judged; -1 when none is pending. */
  private int settling = -1;
  private long usedAtRecycle;
  private long lowestSinceRecycle;

  HeapPressure(Limits limits) {
    this.limits = limits;
  }

  /** New limits (a reload); a pending count starts over. */
  void limits(Limits newLimits) {
    if (!newLimits.equals(limits)) {
      limits = newLimits;
      above = 0;
      settling = -1;
    }
  }

  /** One collection's reading: old generation occupancy {@code used} of {@code max} bytes. */
  Verdict observe(long used, long max) {
    if (!limits.enabled() || max <= 0) {
      return CALM;
    }
    if (settling >= 0) {
      settling++;
      lowestSinceRecycle = Math.min(lowestSinceRecycle, used);
      boolean freed = lowestSinceRecycle < usedAtRecycle && settling >= limits.collections();
      if (!freed && settling < GIVE_UP * limits.collections()) {
        return CALM;
      }
      settling = -1;
      return new Reclaimed(usedAtRecycle, lowestSinceRecycle, max);
    }
    above = (double) used / max > limits.threshold() ? above + 1 : 0;
    if (above < limits.collections()) {
      return CALM;
    }
    int counted = above;
    above = 0;
    settling = 0;
    usedAtRecycle = used;
    lowestSinceRecycle = used;
    return new Recycle(used, max, counted);
  }
}
