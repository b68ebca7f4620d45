package dev.narwhal.config.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.narwhal.config.Section;
import dev.narwhal.config.Setting;
import dev.narwhal.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * INTERNAL API. Renders {@code docs/settings.md} from the registry and the defaults in
 * {@code reference.conf}, as gunicorn's {@code build_settings_doc.py} does. {@code bin/settings-doc}
 * runs {@link #main}; a test fails when the committed file differs from {@link #render()}.
 */
public final class SettingsDoc {
  public static final String SOURCE = "framework/src/main/java/dev/narwhal/config/Settings.java";
  public static final String REGENERATE = "bin/settings-doc";

  private static final String PRECEDENCE = """
      ## Sources and precedence

      A setting can be given in several places. Each one in this list overrides the ones above it:

      1. `reference.conf`: Narwhal's defaults (the *Default* of each setting below), over Narwhal's
         tuning of Pekko (`narwhal-pekko.conf`) and the libraries' own `reference.conf`.
      2. `WEB_CONCURRENCY`: the default for `workers`, as in gunicorn.
      3. The config file: `-c FILE`, else `narwhal.conf` in the directory Narwhal starts in, if there
         is one. It is HOCON, with the settings under `narwhal { }`; it may tune Pekko as well
         (`pekko.http.server { ... }`). Gunicorn's snake_case names (`max_requests`) are accepted
         with a warning.
      4. One environment variable per setting: `NARWHAL_` and the key in capitals with `_` for `-`
         (`NARWHAL_MAX_REQUESTS=1000`).
      5. `NARWHAL_CMD_ARGS`: command-line flags in one variable, parsed like the command line
         (gunicorn's `GUNICORN_CMD_ARGS`).
      6. The command line.

      JVM system properties (`JAVA_OPTS=-Dnarwhal.workers=3`) override all of them, as in any
      Typesafe Config application.

      Durations take HOCON units (`30s`, `500ms`, `2 minutes`) or bare seconds (`30`); where `0` or
      `off` disables something, the setting says so. Relative paths are resolved against `chdir`
      when it is set.

      Every value is checked at start-up. A bad one stops Narwhal with exit status 2 and a single
      line naming where the value came from (file and line, variable or flag), the key, the form
      expected and what was found; an unknown key also gets the closest known one, and so does an
      unknown flag. A class a setting names (`hooks`, `supervision-policy`, a `worker-class` class)
      is looked up then too. A setting written at the top of a file, outside `narwhal { }` (as in a
      `gunicorn.conf.py`), is read by nobody: Narwhal warns about it.
      `narwhal --check-config` checks without starting (and warns when no APP is named),
      `narwhal --print-config` prints the value every setting ends up with.
      """;

  private SettingsDoc() {}

  /** Writes the document to the path given, {@code docs/settings.md} by default. */
  public static void main(String[] args) throws IOException {
    Path target = Path.of(args.length > 0 ? args[0] : "docs/settings.md");
    Files.writeString(target, render());
  }

  /** The whole document. */
  public static String render() {
    Config defaults = ConfigFactory.parseResources(SettingsDoc.class.getClassLoader(), "reference.conf");
    StringBuilder out = new StringBuilder();
    out.append("<!-- Generated from ").append(SOURCE).append(" — do not edit; run ").append(REGENERATE).append(" -->\n");
    out.append("# Settings\n\n");
    out.append("Generated from `").append(SOURCE).append("` — do not edit. After changing the registry, run `")
        .append(REGENERATE).append("`.\n\n");
    out.append("Every setting Narwhal has. Where Gunicorn has the same setting, the config-file key is Gunicorn's ")
        .append("name in dash-case under `narwhal` (`max_requests` is `narwhal.max-requests`) and the flag is ")
        .append("Gunicorn's flag.\n\n");
    out.append(PRECEDENCE).append('\n');
    contents(out);
    for (Section section : Section.values()) {
      List<Setting<?>> settings = inSection(section);
      if (settings.isEmpty()) {
        continue;
      }
      out.append("## ").append(section.title()).append("\n\n");
      settings.forEach(s -> setting(out, s, defaults));
    }
    return out.toString();
  }

  private static void contents(StringBuilder out) {
    out.append("## Contents\n\n");
    for (Section section : Section.values()) {
      List<Setting<?>> settings = inSection(section);
      if (!settings.isEmpty()) {
        out.append("- ").append(section.title()).append(": ")
            .append(settings.stream().map(s -> "[`" + s.key() + "`](#" + s.key().replace(".", "") + ")").collect(Collectors.joining(", ")))
            .append('\n');
      }
    }
    out.append('\n');
  }

  private static List<Setting<?>> inSection(Section section) {
    return Settings.ALL.stream().filter(s -> s.section() == section).toList();
  }

  private static void setting(StringBuilder out, Setting<?> s, Config defaults) {
    out.append("### ").append(s.key()).append("\n\n");
    out.append("| | |\n|---|---|\n");
    out.append("| Config file | `").append(s.path()).append("` |\n");
    out.append("| Command line | ").append(flags(s)).append(" |\n");
    out.append("| Environment | `").append(s.envVar()).append("` |\n");
    out.append("| Default | `").append(defaultOf(s, defaults)).append("` |\n\n");
    out.append(markdown(s.doc())).append("\n\n");
  }

  private static String flags(Setting<?> s) {
    if (s.flags().isEmpty()) {
      return "(none)";
    }
    String value = s.kind() == Setting.CliKind.SWITCH ? "" : " " + s.metavar();
    String repeat = s.kind() == Setting.CliKind.REPEATABLE ? " (repeatable)" : "";
    return s.flags().stream().map(f -> "`" + f + value + "`").collect(Collectors.joining(", ")) + repeat;
  }

  /** The default as reference.conf spells it; plain words unquoted, anything else as HOCON. */
  static String defaultOf(Setting<?> s, Config defaults) {
    if (!defaults.hasPath(s.path())) {
      return "(none: missing from reference.conf)";
    }
    ConfigValue value = defaults.getValue(s.path());
    String rendered = value.render(ConfigRenderOptions.concise());
    if (value.valueType() == ConfigValueType.STRING) {
      String text = (String) value.unwrapped();
      return text.matches("[A-Za-z0-9.:/-]+") ? text : rendered;
    }
    return rendered;
  }

  /** The doc paragraphs are plain text; keep Markdown from reading {@code <pid>} or {@code *} as markup. */
  private static String markdown(String doc) {
    return doc.replace("<", "&lt;").replace(">", "&gt;").replace("*", "\\*").replace("_", "\\_");
  }
}
