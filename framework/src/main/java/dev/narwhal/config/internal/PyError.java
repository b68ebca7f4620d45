package dev.narwhal.config.internal;

import dev.narwhal.config.SettingsException;

/** INTERNAL API. The one shape of a {@code gunicorn.conf.py} error: "FILE:LINE: reason". */
public final class PyError {
  private PyError() {}

  public static SettingsException at(String file, int line, String reason) {
    return new SettingsException(file + ":" + line + ": " + reason);
  }
}
