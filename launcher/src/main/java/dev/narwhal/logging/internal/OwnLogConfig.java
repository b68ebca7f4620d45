package dev.narwhal.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * INTERNAL API. A Logback configuration of the user's own, which the command logs with instead of
 * the logging settings: the {@code logconfig} file, else what Logback itself would read
 * (-Dlogback.configurationFile, a logback-test.xml or logback.xml on the class path). Narwhal's
 * jars ship no logback.xml, so one on the class path is the application's: a Java team's own
 * patterns and levels, which the command used to replace without a word.
 */
final class OwnLogConfig {
  /** Logback's system property naming its configuration file. */
  static final String LOGBACK_PROPERTY = "logback.configurationFile";

  private OwnLogConfig() {}

  /** Whether Logback's own start-up finds a configuration of the user's (and so should read it). */
  static boolean forLogback() {
    ClassLoader loader = OwnLogConfig.class.getClassLoader();
    return System.getProperty(LOGBACK_PROPERTY) != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  /** Whether the command logs as the user's configuration says rather than as the settings do. */
  static boolean present(ServerConfig config) {
    return config.get(Settings.LOGCONFIG).isPresent() || forLogback();
  }

  /**
   * Says which configuration the error log follows and that the logging settings are not applied:
   * a logback.xml some library left in its jar would otherwise turn them off without a word. More
   * than one logback.xml on the class path is a warning (Logback reads the first).
   */
  static void announce(ServerConfig config, Logger log) {
    String which;
    if (config.get(Settings.LOGCONFIG).isPresent()) {
      which = "logconfig " + config.get(Settings.LOGCONFIG).get();
    } else if (System.getProperty(LOGBACK_PROPERTY) != null) {
      which = "-D" + LOGBACK_PROPERTY + "=" + System.getProperty(LOGBACK_PROPERTY);
    } else {
      ClassLoader loader = OwnLogConfig.class.getClassLoader();
      URL test = loader.getResource("logback-test.xml");
      which = String.valueOf(test != null ? test : loader.getResource("logback.xml"));
      try {
        List<URL> all = Collections.list(loader.getResources(test != null ? "logback-test.xml" : "logback.xml"));
        if (all.size() > 1) {
          log.warn("Several Logback configurations are on the class path, and Logback reads the first: {}", all);
        }
      } catch (IOException unreadable) {
        // the one above was found: enough to say which
      }
    }
    log.info("Logging as {} says; errorlog, loglevel and the access log's target are not applied", which);
  }

  /**
   * Configures {@code context} from the logconfig file; without one, leaves Logback's own
   * configuration (made at its start from the user's file) as it is.
   *
   * @throws dev.narwhal.config.SettingsException naming logconfig when Logback reports an error in the file
   */
  static void apply(LoggerContext context, ServerConfig config) {
    Optional<Path> file = config.get(Settings.LOGCONFIG);
    if (file.isEmpty()) {
      return;
    }
    context.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    String problem = null;
    try {
      joran.doConfigure(file.get().toFile());
    } catch (JoranException e) {
      problem = e.getMessage();
    }
    for (Status status : context.getStatusManager().getCopyOfStatusList()) {
      if (problem == null && status.getLevel() == Status.ERROR) {
        problem = status.getMessage();
      }
    }
    context.addTurboFilter(new PekkoBindFailure()); // reset() took it away
    if (problem != null) {
      throw config.invalid(Settings.LOGCONFIG, "a Logback configuration file Logback reads without errors",
          "'" + file.get() + "' (" + problem + ")");
    }
  }
}
