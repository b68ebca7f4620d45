package dev.narwhal.supervisor;

/**
 * When heap pressure should recycle a worker: the old generation, read after each garbage
 * collection, above {@code threshold} of the maximum heap for {@code collections} collections in a
 * row. Process RSS is too noisy for this (gunicorn refuses memory-based recycling for that reason,
 * its issue #3581), but within one JVM the heap after a collection is exact. After a recycle as many
 * collections pass (the retired worker drains, its state becomes garbage, the collector frees it)
 * before the reading that shows what was reclaimed, and counting starts over from there.
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

  /** The reading {@code collections} collections after a recycle: old gen then and now. */
  record Reclaimed(long before, long after, long max) implements Verdict {}

  private static final Verdict CALM = new Calm();

  private Limits limits;
  private int above;
  /** Readings still to pass after a recycle before it is judged; 0 when none is pending. */
  private int settling;
  private long usedAtRecycle;

  HeapPressure(Limits limits) {
    this.limits = limits;
  }

  /** New limits (a reload); a pending count starts over. */
  void limits(Limits newLimits) {
    if (!newLimits.equals(limits)) {
      limits = newLimits;
      above = 0;
      settling = 0;
    }
  }

  /** One collection's reading: old generation occupancy {@code used} of {@code max} bytes. */
  Verdict observe(long used, long max) {
    if (!limits.enabled() || max <= 0) {
      return CALM;
    }
    if (settling > 0) {
      return --settling == 0 ? new Reclaimed(usedAtRecycle, used, max) : CALM;
    }
    above = (double) used / max > limits.threshold() ? above + 1 : 0;
    if (above < limits.collections()) {
      return CALM;
    }
    int counted = above;
    above = 0;
    settling = limits.collections();
    usedAtRecycle = used;
    return new Recycle(used, max, counted);
  }
}
