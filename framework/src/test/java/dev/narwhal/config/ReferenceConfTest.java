package dev.narwhal.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** reference.conf holds the defaults, the registry everything else; they must name the same keys. */
class ReferenceConfTest {
  static ConfigObject narwhal() {
    return ConfigFactory.parseResources(ReferenceConfTest.class.getClassLoader(), "reference.conf").getObject(Settings.ROOT);
  }

  /** Every key under narwhal, groups such as cluster { } flattened to dotted keys (cluster.bind). */
  static Map<String, ConfigValue> keys() {
    Map<String, ConfigValue> keys = new TreeMap<>();
    narwhal().forEach((key, value) -> {
      if (value instanceof ConfigObject group && Settings.byKey(key).isEmpty()) {
        group.forEach((sub, v) -> keys.put(key + "." + sub, v));
      } else {
        keys.put(key, value);
      }
    });
    return keys;
  }

  @Test
  void every_key_in_reference_conf_is_a_registered_setting() {
    Set<String> registered = Settings.ALL.stream().map(Setting::key).collect(Collectors.toSet());
    assertThat(keys().keySet())
        .as("keys in reference.conf without a Setting in Settings.ALL")
        .allSatisfy(key -> assertThat(registered).contains(key));
  }

  @Test
  void every_registered_setting_has_a_default_in_reference_conf() {
    Set<String> keys = keys().keySet();
    assertThat(Settings.ALL).allSatisfy(s -> assertThat(keys).as("reference.conf default for " + s.key()).contains(s.key()));
  }

  @Test
  void every_default_is_valid() {
    ServerConfig defaults = ServerConfig.defaults();
    assertThat(Settings.ALL).allSatisfy(s -> assertThat(defaults.get(s)).as(s.key()).isNotNull());
  }

  /** A comment may cover a group of keys on consecutive lines (max-requests and its jitter). */
  @Test
  void every_key_in_reference_conf_is_under_a_comment() {
    List<ConfigValue> byLine = keys().values().stream()
        .sorted(Comparator.comparingInt((ConfigValue v) -> v.origin().lineNumber())).toList();
    int previousLine = -1;
    for (ConfigValue value : byLine) {
      boolean grouped = value.origin().lineNumber() == previousLine + 1;
      assertThat(grouped || !value.origin().comments().isEmpty())
          .as("a comment above line %d of reference.conf", value.origin().lineNumber()).isTrue();
      previousLine = value.origin().lineNumber();
    }
  }

  @Test
  void keys_are_unique_and_flags_are_not_shared() {
    assertThat(Settings.ALL.stream().map(Setting::key)).doesNotHaveDuplicates();
    assertThat(Settings.ALL.stream().flatMap(s -> s.flags().stream())).doesNotHaveDuplicates();
  }
}
