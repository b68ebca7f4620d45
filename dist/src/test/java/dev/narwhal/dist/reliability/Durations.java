package dev.narwhal.dist.reliability;

import java.time.Duration;

/**
 * How long a scenario runs: the short version by default (the whole suite stays within about
 * three minutes of {@code bin/test}), the full length with {@code -Dreliability.full=true}
 * ({@code reliability/run --full}), or any length with {@code -Dreliability.seconds=N}.
 */
public final class Durations {
  private Durations() {}

  public static boolean full() {
    return Boolean.getBoolean("reliability.full");
  }

  public static Duration of(int shortSeconds, int fullSeconds) {
    String seconds = System.getProperty("reliability.seconds", "");
    if (!seconds.isBlank()) {
      return Duration.ofSeconds(Integer.parseInt(seconds.trim()));
    }
    return Duration.ofSeconds(full() ? fullSeconds : shortSeconds);
  }

  /** A count that scales with the mode (connections, fuzz cases). */
  public static int count(int shortCount, int fullCount) {
    return full() ? fullCount : shortCount;
  }
}
