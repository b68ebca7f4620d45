package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One servlet or filter of the web app the config file declares ({@code narwhal.webapp.servlets},
 * {@code narwhal.webapp.filters}), in web.xml's terms: a name, a class, its URL patterns, its init
 * parameters, and for a servlet its load-on-startup order. The servlet bridge reads these; this
 * module checks only their shape, so a typo is named with its file and line before anything loads.
 *
 * <pre>
 * servlets = [
 *   { name = api, class = com.example.ApiServlet, mappings = ["/api/*"], init-params { mode = fast } }
 * ]
 * </pre>
 */
public record WebComponent(String name, String className, List<String> mappings, Map<String, String> initParams,
    int loadOnStartup) {
  private static final Set<String> KEYS = Set.of("name", "class", "mappings", "init-params", "load-on-startup");
  private static final String EXPECTED = "a list of { name = NAME, class = CLASS, mappings = [\"/path/*\"], "
      + "init-params { KEY = VALUE }, load-on-startup = N }";

  public WebComponent {
    mappings = List.copyOf(mappings);
    initParams = Map.copyOf(initParams);
  }

  static ValueReader<List<WebComponent>> reader() {
    return (config, path) -> {
      ConfigValue value = config.getValue(path);
      if (value.valueType() != ConfigValueType.LIST) {
        throw ValueReader.invalid(path, value, EXPECTED, "a " + value.valueType().name().toLowerCase());
      }
      List<WebComponent> components = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (ConfigValue item : (ConfigList) value) {
        if (item.valueType() != ConfigValueType.OBJECT) {
          throw ValueReader.invalid(path, item, EXPECTED, "a " + item.valueType().name().toLowerCase() + " in the list");
        }
        WebComponent c = read(path, (ConfigObject) item);
        if (!names.add(c.name())) {
          throw ValueReader.invalid(path, item, "names that differ", "'" + c.name() + "' twice");
        }
        components.add(c);
      }
      return List.copyOf(components);
    };
  }

  private static WebComponent read(String path, ConfigObject item) {
    for (String key : item.keySet()) {
      if (!KEYS.contains(key)) {
        throw ValueReader.invalid(path, item, EXPECTED, "an unknown key '" + key + "'");
      }
    }
    Config c = item.toConfig();
    String name = text(path, item, c, "name");
    String className = text(path, item, c, "class");
    List<String> mappings = new ArrayList<>();
    if (c.hasPath("mappings")) {
      ConfigValue m = c.getValue("mappings");
      if (m.valueType() == ConfigValueType.LIST) {
        ((ConfigList) m).forEach(v -> mappings.add(String.valueOf(v.unwrapped())));
      } else {
        mappings.add(String.valueOf(m.unwrapped()));
      }
    }
    Map<String, String> params = new LinkedHashMap<>();
    if (c.hasPath("init-params")) {
      ConfigValue p = c.getValue("init-params");
      if (p.valueType() != ConfigValueType.OBJECT) {
        throw ValueReader.invalid(path, p, EXPECTED, "init-params that are not an object");
      }
      ((ConfigObject) p).forEach((k, v) -> params.put(k, String.valueOf(v.unwrapped())));
    }
    int order = -1;
    if (c.hasPath("load-on-startup")) {
      try {
        order = c.getInt("load-on-startup");
      } catch (RuntimeException e) {
        throw ValueReader.invalid(path, c.getValue("load-on-startup"), EXPECTED, "a load-on-startup that is not a number");
      }
    }
    return new WebComponent(name, className, mappings, params, order);
  }

  private static String text(String path, ConfigObject item, Config c, String key) {
    if (!c.hasPath(key) || c.getValue(key).valueType() == ConfigValueType.OBJECT
        || c.getValue(key).valueType() == ConfigValueType.LIST || c.getString(key).isBlank()) {
      throw ValueReader.invalid(path, item, EXPECTED, "an entry without " + key);
    }
    return c.getString(key).strip();
  }
}
