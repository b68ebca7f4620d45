package dev.narwhal.logging;

/**
 * The names of the SLF4J loggers whose output is meant to be routed on its own. The {@code narwhal}
 * command routes them from the logging settings; an embedder that starts a {@code Server} routes
 * them in its own Logback (or other backend) configuration.
 */
public final class Loggers {
  /**
   * The access log: one line per answered request, at INFO, already formatted per
   * {@code access-log-format} (or JSON with {@code access-log-json}). Nothing is logged to it when
   * {@code accesslog} is not set.
   */
  public static final String ACCESS = "narwhal.access";

  private Loggers() {}
}
