package dev.narwhal.config;

import java.util.Map;

/**
 * The {@code raw-env} entries ({@link Settings#RAW_ENV}) the server was started with, which
 * {@link dev.narwhal.Environment} lays over the process environment. Process-wide, as the
 * environment it stands in for is: the last server started in a JVM sets it.
 *
 * <p>{@code Server.start} installs them from its configuration before any worker boots, so an
 * embedder has nothing to do here; applications read them through {@code Environment}, never here.
 */
public final class RawEnvironment {
  private static volatile Map<String, String> entries = Map.of();

  private RawEnvironment() {}

  /** The entries installed last; none before a server starts. */
  public static Map<String, String> entries() {
    return entries;
  }

  /** Replaces the entries; called once at start-up, before any worker boots. */
  public static void install(Map<String, String> rawEnv) {
    entries = Map.copyOf(rawEnv);
  }
}
