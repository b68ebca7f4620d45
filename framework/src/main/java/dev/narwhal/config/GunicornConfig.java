package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.narwhal.config.internal.GunicornNames;
import dev.narwhal.config.internal.PyModule;
import dev.narwhal.config.internal.PyValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Gunicorn configuration file ({@code gunicorn.conf.py}) read as Narwhal settings, without
 * running Python: {@code -c gunicorn.conf.py} and {@code narwhal config import} use it.
 *
 * <p>The file is evaluated by a small interpreter for what such files do at module level
 * (assignments of literals and arithmetic, {@code os.environ}, string formatting, imports, see
 * {@link PyModule}). Each assigned name that is a Gunicorn setting maps to the registry's setting
 * of the same name ({@code max_requests} is {@code max-requests}), found through
 * {@link Settings#byKey} and the settings' Gunicorn flags, so new settings are picked up without a
 * table here. Gunicorn settings Narwhal lacks are warnings; server hooks are listed as not carried
 * over, pointing at {@code dev.narwhal.ServerHooks}; code that cannot be evaluated is a
 * {@link SettingsException} with file, line and reason.
 */
public final class GunicornConfig {
  /** One mapped setting: its value as a config file would hold it, and where it was assigned. */
  public record Entry(Setting<?> setting, String gunicornName, Object value, int line) {}

  private final String file;
  private final List<Entry> entries;
  private final List<String> warnings;
  private final List<String> hooks;

  private GunicornConfig(String file, List<Entry> entries, List<String> warnings, List<String> hooks) {
    this.file = file;
    this.entries = List.copyOf(entries);
    this.warnings = List.copyOf(warnings);
    this.hooks = List.copyOf(hooks);
  }

  /** Whether {@code -c file} names a Gunicorn file: its extension is {@code .py}. */
  public static boolean isGunicornFile(Path file) {
    return file.getFileName() != null && file.getFileName().toString().endsWith(".py");
  }

  /** Reads {@code file}; {@code env} is what {@code os.environ} holds. */
  public static GunicornConfig read(Path file, Map<String, String> env) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new SettingsException(file + ": cannot read the config file: " + e.getMessage());
    }
    return parse(text, file.toString(), env);
  }

  /** Reads a file's text; {@code file} names it in messages. */
  public static GunicornConfig parse(String text, String file, Map<String, String> env) {
    PyModule module = PyModule.read(text, file, env);
    List<Entry> entries = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    List<String> hooks = new ArrayList<>();
    for (PyModule.Function f : module.functions()) {
      Optional<String> hook = GunicornNames.hookMethod(f.name());
      if (hook.isPresent()) {
        hooks.add(hookNote(file, f.line(), f.name(), hook.get()));
      } else if (!f.name().startsWith("_")) {
        warnings.add(file + ":" + f.line() + ": def " + f.name() + ": functions are not run; not carried over");
      }
    }
    for (PyModule.Assignment a : module.assignments()) {
      String where = file + ":" + a.line() + ": ";
      Optional<Setting<?>> setting = GunicornNames.setting(a.name());
      if (GunicornNames.hookMethod(a.name()).isPresent() && setting.isEmpty()) {
        hooks.add(hookNote(file, a.line(), a.name(), GunicornNames.hookMethod(a.name()).get()));
      } else if (setting.isPresent()) {
        entries.add(new Entry(setting.get(), a.name(), hoconValue(setting.get(), a.value()), a.line()));
      } else if (GunicornNames.isGunicornSetting(a.name())) {
        warnings.add(where + a.name() + " = " + PyValues.repr(a.value()) + ": Gunicorn setting with no Narwhal "
            + "equivalent; ignored");
      } // any other name is the file's own variable, which Gunicorn ignores too
    }
    return new GunicornConfig(file, entries, warnings, hooks);
  }

  private static String hookNote(String file, int line, String name, String method) {
    return file + ":" + line + ": server hook " + name + " is not carried over (Python is not run): "
        + (method.isEmpty() ? "Narwhal has no such hook point"
            : "implement dev.narwhal.ServerHooks." + method + " and name the class in narwhal.hooks (--hooks)");
  }

  /** A Python value in the form the setting's reader takes from a file. */
  private static Object hoconValue(Setting<?> setting, Object value) {
    if (value instanceof PyValues.Cores cores) {
      return setting == Settings.WORKERS && cores.times() == 2 && cores.plus() == 1 ? "auto" : cores.value();
    }
    if (setting.metavar().equals("DURATION") && (value instanceof Long || value instanceof Double)) {
      double seconds = ((Number) value).doubleValue();
      return seconds == Math.rint(seconds) ? (long) seconds + "s" : Math.round(seconds * 1000) + "ms";
    }
    if (value == PyValues.NONE) {
      return "";
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> hoconValue(setting, v)).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> object = new LinkedHashMap<>();
      map.forEach((k, v) -> object.put(PyValues.str(k), hoconValue(setting, v)));
      return object;
    }
    return value;
  }

  /** The mapped settings, in the order the file assigns them. */
  public List<Entry> entries() {
    return entries;
  }

  /** One line per Gunicorn setting with no Narwhal equivalent and per function that is not run. */
  public List<String> warnings() {
    return warnings;
  }

  /** One line per server hook defined in the file: not carried over, and what to use instead. */
  public List<String> hooks() {
    return hooks;
  }

  /** Everything not carried over, hooks first: what {@code -c} logs as warnings. */
  public List<String> notes() {
    List<String> all = new ArrayList<>(hooks);
    all.addAll(warnings);
    return all;
  }

  /** The settings as a config layer whose values' origins are the Python file and line. */
  public Config toConfig() {
    Config layer = ConfigFactory.empty();
    for (Entry e : entries) {
      ConfigValue value = ConfigValueFactory.fromAnyRef(e.value())
          .withOrigin(ConfigOriginFactory.newFile(file).withLineNumber(e.line()));
      layer = layer.withValue(e.setting().path(), value);
    }
    return layer;
  }

  /** The equivalent {@code narwhal.conf}, in HOCON, with each value's source line as a comment. */
  public String toHocon() {
    StringBuilder out = new StringBuilder("# Imported from " + file + " by narwhal config import.\n");
    notes().forEach(n -> out.append("# not carried over: ").append(n).append('\n'));
    out.append(Settings.ROOT).append(" {\n");
    for (Entry e : entries) {
      out.append("  ").append(e.setting().key()).append(" = ").append(render(e.value()))
          .append("  # ").append(e.gunicornName()).append(", line ").append(e.line()).append('\n');
    }
    return out.append("}\n").toString();
  }

  private static String render(Object value) {
    if (value instanceof Boolean b) {
      return b ? "on" : "off";
    }
    if (value instanceof String s && s.matches("[A-Za-z][A-Za-z0-9_-]*|\\d+(ms|s)")
        && !s.matches("(?i)true|false|null|yes|no|on|off|include")) {
      return s;
    }
    return ConfigValueFactory.fromAnyRef(value).render(ConfigRenderOptions.concise());
  }
}
