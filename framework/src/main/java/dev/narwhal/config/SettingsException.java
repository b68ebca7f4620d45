package dev.narwhal.config;

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
}
