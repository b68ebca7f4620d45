package dev.narwhal.internal;

import java.util.Map;

/**
 * INTERNAL API. The {@code raw-env} entries the server was started with, read by
 * {@link dev.narwhal.Environment}. Process-wide, as the environment it stands in for is: the last
 * server started in a JVM sets it.
 */
public final class RawEnvironment {
  private static volatile Map<String, String> entries = Map.of();

  private RawEnvironment() {}

  public static Map<String, String> entries() {
    return entries;
  }

  /** Replaces the entries; called once at start-up, before any worker boots. */
  public static void install(Map<String, String> rawEnv) {
    entries = Map.copyOf(rawEnv);
  }
}
