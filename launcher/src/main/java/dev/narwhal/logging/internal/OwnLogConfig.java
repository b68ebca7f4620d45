package dev.narwhal.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import dev.narwhal.config.ServerConfig;
import dev.narwhal.config.Settings;
import java.nio.file.Path;
import java.util.Optional;

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
