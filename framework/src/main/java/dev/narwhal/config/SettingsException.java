package dev.narwhal.config;

import com.typesafe.config.Config;

/**
 * A configuration the user must fix: a bad value, an unknown key, a missing file.
 *
 * <p>The message is complete and meant for the terminal as is (the CLI prints it and exits with
 * status 2, without a stack trace): it names where the value came from (file and line, environment
 * variable or command line), the key, the expected form and what was found.
 */
public final class SettingsException extends RuntimeException {
  public SettingsException(String message) {
    super(message, null, false, false);
  }

  /**
   * The error for the value at {@code path} in {@code config}: "FILE:LINE: PATH: PROBLEM" (or the
   * environment variable, or the command line, in place of the file), as the settings' own readers
   * word theirs; for settings a module reads from the merged configuration itself.
   */
  public static SettingsException at(Config config, String path, String problem) {
    return located(config, path, path + ": " + problem);
  }

  /** {@code message} (which names the key its own way) after where the value at {@code path} was set. */
  static SettingsException located(Config config, String path, String message) {
    // a default (a reference.conf on the class path) has no place the user could fix
    boolean set = config.hasPath(path) && config.getValue(path).origin().resource() == null;
    return new SettingsException((set ? ValueReader.where(config.getValue(path).origin()) : "") + message);
  }
}
