package dev.narwhal.config.internal;

import dev.narwhal.config.SettingsException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * INTERNAL API. What an expression can see: the module's names so far (imports and earlier
 * assignments), the environment {@code os.environ} reads, and the file name errors carry.
 */
public final class PyScope {
  private final String file;
  private final Map<String, String> env;
  private final Map<String, Object> names = new LinkedHashMap<>();

  public PyScope(String file, Map<String, String> env) {
    this.file = file;
    this.env = Map.copyOf(env);
  }

  public Map<String, String> env() {
    return env;
  }

  void define(String name, Object value) {
    names.put(name, value);
  }

  Object lookup(String name, int line) {
    Object value = names.get(name);
    if (value != null) {
      return value;
    }
    if (PyBuiltins.FUNCTIONS.contains(name)) {
      return new PyValues.Callable(name, null);
    }
    throw error(line, "name '" + name + "' is not defined (or not imported)");
  }

  public SettingsException error(int line, String reason) {
    return PyError.at(file, line, reason);
  }
}
