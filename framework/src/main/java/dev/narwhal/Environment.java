package dev.narwhal;

import dev.narwhal.config.RawEnvironment;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The application's environment variables: the process environment with the server's
 * {@code raw-env} entries ({@code -e KEY=VALUE}) over it.
 *
 * <p>Gunicorn's {@code raw_env} writes into {@code os.environ}; a running JVM cannot change its own
 * environment, so {@link System#getenv} never sees those entries. Read configuration through this
 * class instead and both sources work:
 *
 * <pre>{@code
 * String greeting = Environment.get("GREETING").orElse("Hello");
 * }</pre>
 *
 * <p>The entries come from the {@code raw-env} setting (docs/settings.md); {@code narwhal -e} and
 * {@code Server.start} install them before any worker boots.
 */
public final class Environment {
  private Environment() {}

  /** The variable's value: a {@code raw-env} entry if there is one, else the process environment's. */
  public static Optional<String> get(String name) {
    String value = RawEnvironment.entries().get(name);
    return Optional.ofNullable(value != null ? value : System.getenv(name));
  }

  /** Every variable, {@code raw-env} entries over the process environment; a snapshot. */
  public static Map<String, String> asMap() {
    Map<String, String> all = new HashMap<>(System.getenv());
    all.putAll(RawEnvironment.entries());
    return Map.copyOf(all);
  }
}
