package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** What the readers of {@link ValueReader} and {@link NetworkReaders} share: values, items, comma lists. */
final class ReaderSupport {
  private ReaderSupport() {}

  /** Items of a list, or of one string split at commas; blank items are dropped. */
  static <E> ValueReader<List<E>> commaList(String expected, Function<String, E> parse) {
    return (config, path) -> {
      ConfigValue value = value(config, path);
      if (value.valueType() == ConfigValueType.OBJECT) {
        throw ValueReader.invalid(path, value, expected, "an object");
      }
      List<E> parsed = new ArrayList<>();
      for (String raw : items(config, path, value)) {
        for (String item : raw.split(",")) {
          if (item.isBlank()) {
            continue;
          }
          try {
            parsed.add(parse.apply(item.strip()));
          } catch (RuntimeException e) {
            throw ValueReader.invalid(path, value, expected, "'" + item.strip() + "'");
          }
        }
      }
      return List.copyOf(parsed);
    };
  }

  /** A list's items as text, or a single value as a one-item list. */
  static List<String> items(Config config, String path, ConfigValue value) {
    List<String> raw = new ArrayList<>();
    if (value.valueType() == ConfigValueType.LIST) {
      config.getList(path).unwrapped().forEach(o -> raw.add(String.valueOf(o)));
    } else {
      raw.add(String.valueOf(value.unwrapped()));
    }
    return raw;
  }

  static ConfigValue value(Config config, String path) {
    try {
      return config.getValue(path);
    } catch (ConfigException.Missing e) {
      throw new SettingsException(path + ": no value (reference.conf should define it)");
    }
  }
}
