package dev.narwhal.config;

import com.typesafe.config.Config;
import java.util.List;
import java.util.Locale;

/**
 * One setting: everything about it in one place, so the config file, the command line, the
 * environment, validation, {@code --help} and {@code docs/settings.md} cannot drift apart.
 *
 * @param key the HOCON key under {@code narwhal}, dash-case (e.g. {@code max-requests})
 * @param section where it is listed
 * @param flags command-line flags, gunicorn's spelling first among the long ones (may be empty)
 * @param metavar the placeholder for its value in {@code --help}
 * @param kind how the command line takes it
 * @param reader reads and validates the value from the merged configuration
 * @param doc a paragraph; its first sentence is the {@code --help} text
 * @param secret whether its value must never be shown ({@code --print-config} redacts it)
 * @param <T> the validated value's type
 */
public record Setting<T>(
    String key,
    Section section,
    List<String> flags,
    String metavar,
    CliKind kind,
    ValueReader<T> reader,
    String doc,
    boolean secret) {

  /** How a setting appears on the command line. */
  public enum CliKind {
    /** {@code --flag VALUE}, the last one wins. */
    VALUE,
    /** {@code --flag VALUE}, repeatable; the values form a list. */
    REPEATABLE,
    /** {@code --flag} alone means {@code true}. */
    SWITCH
  }

  public Setting {
    flags = List.copyOf(flags);
  }

  /** A setting whose value may be shown. */
  public Setting(String key, Section section, List<String> flags, String metavar, CliKind kind,
      ValueReader<T> reader, String doc) {
    this(key, section, flags, metavar, kind, reader, doc, false);
  }

  /** This setting, marked secret: tools that print configuration redact its value. */
  public Setting<T> asSecret() {
    return new Setting<>(key, section, flags, metavar, kind, reader, doc, true);
  }

  /** The full HOCON path, e.g. {@code narwhal.workers}. */
  public String path() {
    return Settings.ROOT + "." + key;
  }

  /** The environment variable that overrides this setting, e.g. {@code NARWHAL_MAX_REQUESTS}. */
  public String envVar() {
    return "NARWHAL_" + key.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
  }

  /** The first sentence of the doc: the {@code --help} line. */
  public String summary() {
    int end = doc.indexOf(". ");
    return end < 0 ? doc.strip() : doc.substring(0, end + 1);
  }

  /** Reads and validates this setting from a merged configuration. */
  public T read(Config config) {
    return reader.read(config, path());
  }
}
