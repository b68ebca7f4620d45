package dev.narwhal.supervisor;

/**
 * How many requests a pool admits at once, running plus waiting (the {@code concurrency-limit}
 * settings): beyond it the {@link WorkQueue} refuses a request at once, before the backlog is full.
 *
 * @param mode off (only the backlog bounds the queue), fixed, or adaptive
 * @param initial the limit at start: the fixed limit itself, or where the adaptive one begins
 * @param min the adaptive limit's floor (fixed: the limit)
 * @param max the adaptive limit's ceiling (fixed: the limit)
 */
public record ConcurrencyLimit(Mode mode, int initial, int min, int max) {
  /** Today's behaviour: no limit but the backlog. */
  public static final ConcurrencyLimit OFF = new ConcurrencyLimit(Mode.OFF, 0, 0, 0);

  /** What {@code concurrency-limit} says. */
  public enum Mode { OFF, FIXED, AUTO }

  public ConcurrencyLimit {
    if (mode != Mode.OFF && (min < 1 || max < min || initial < min || initial > max)) {
      throw new IllegalArgumentException(
          "concurrency limits need 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
    }
  }

  /** A static limit of {@code limit} requests in flight. */
  public static ConcurrencyLimit fixed(int limit) {
    return new ConcurrencyLimit(Mode.FIXED, limit, limit, limit);
  }

  /** An adaptive limit ({@link GradientLimit}) starting at {@code initial}, within [min, max]. */
  public static ConcurrencyLimit auto(int initial, int min, int max) {
    return new ConcurrencyLimit(Mode.AUTO, initial, min, max);
  }

  /** The label /stats and the logs show: off, auto, or the fixed number. */
  public String label() {
    return switch (mode) {
      case OFF -> "off";
      case AUTO -> "auto";
      case FIXED -> Integer.toString(initial);
    };
  }
}
