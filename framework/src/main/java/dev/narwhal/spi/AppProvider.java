package dev.narwhal.spi;

import dev.narwhal.Application;
import com.typesafe.config.Config;
import java.util.function.Supplier;

/**
 * Turns an APP name of the form {@code prefix:rest} into applications: how a module that runs
 * foreign code as a Narwhal app (a servlet, a Jakarta REST application) plugs into
 * {@code bin/narwhal PREFIX:NAME}.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}: list the implementing class in
 * {@code META-INF/services/dev.narwhal.spi.AppProvider}. It needs a public no-argument constructor.
 *
 * <pre>{@code
 * bin/narwhal servlet:com.example.HelloServlet
 * }</pre>
 */
public interface AppProvider {

  /** The prefix this provider answers, without the colon, e.g. {@code servlet}. */
  String prefix();

  /**
   * A factory of applications for {@code name} (what follows {@code prefix:}); each call of the
   * supplier builds a new instance (one per worker, or one under preload-app).
   *
   * @param loader the class loader over the user's class path, to load {@code name} with
   * @throws IllegalArgumentException naming what is wrong (unknown class, wrong type, missing library)
   */
  Supplier<Application> resolve(String name, ClassLoader loader);

  /**
   * Like {@link #resolve(String, ClassLoader)}, for a provider that also reads the configuration
   * (the servlet bridge's {@code webapp:} reads {@code narwhal.webapp} with its settings'
   * {@code read}). {@code config} is the merged configuration the server runs with
   * ({@code ServerConfig.source()}); a Typesafe {@link Config}, so this package stays below the
   * settings. By default the configuration is not needed.
   */
  default Supplier<Application> resolve(String name, ClassLoader loader, Config config) {
    return resolve(name, loader);
  }
}
