package dev.narwhal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keys of a config file's {@code narwhal} block, checked against the settings registry: an
 * unknown key is an error naming its file and line, with the nearest known key when it looks like
 * a typo, since a misspelt setting silently ignored is a server running with a default nobody
 * chose; gunicorn's underscore spellings are accepted with a warning.
 */
final class ConfigKeys {
  private ConfigKeys() {}

  /** {@code parsed} with gunicorn's spellings renamed; its warnings added to {@code warnings}. */
  static Config checked(Config parsed, List<String> warnings) {
    outsideTheBlock(parsed, warnings);
    if (!parsed.hasPath(Settings.ROOT)) {
      return parsed;
    }
    ConfigValue root = parsed.getValue(Settings.ROOT);
    if (root.valueType() != ConfigValueType.OBJECT) {
      throw ValueReader.invalid(Settings.ROOT, root, "an object of settings: narwhal { workers = 4 }",
          "a " + root.valueType().name().toLowerCase());
    }
    return checkKeys(parsed, (ConfigObject) root, warnings);
  }

  private static Config checkKeys(Config parsed, ConfigObject root, List<String> warnings) {
    Config result = parsed;
    for (Map.Entry<String, ConfigValue> entry : root.entrySet()) {
      String key = entry.getKey();
      if (Settings.byKey(key).isPresent()) {
        continue;
      }
      if (isGroup(key) && entry.getValue() instanceof ConfigObject group) {
        checkGroup(key, group); // cluster { seed-nodes = ... }: each key checked by its dotted name
        continue;
      }
      String dashed = key.replace('_', '-');
      if (!dashed.equals(key) && Settings.byKey(dashed).isPresent()) {
        warnings.add(ValueReader.where(entry.getValue().origin()) + Settings.ROOT + "." + key
            + " is gunicorn's spelling; write " + Settings.ROOT + "." + dashed + " (accepted for now)");
        result = result.withoutPath(Settings.ROOT + "." + quote(key))
            .withValue(Settings.ROOT + "." + dashed, entry.getValue());
        continue;
      }
      throw unknown(key, entry.getValue());
    }
    return result;
  }

  /**
   * A setting at the top of a file (gunicorn's files have no block, so {@code workers = 4} is what
   * its users write first) is read by nobody: said in a warning naming the block it belongs in. A
   * warning, not an error: the key may be the application's own, or a value the block takes by
   * substitution; so an object (an application's {@code app { }}) is not taken for a setting, unless
   * the key is a group of settings such as {@code cluster}, and a key the block sets too is left alone.
   */
  private static void outsideTheBlock(Config parsed, List<String> warnings) {
    ConfigObject block = parsed.hasPath(Settings.ROOT) && parsed.getValue(Settings.ROOT) instanceof ConfigObject o ? o : null;
    parsed.root().entrySet().stream()
        .filter(e -> looksLikeASetting(e.getKey().replace('_', '-'), e.getValue()))
        .filter(e -> block == null || !block.containsKey(e.getKey().replace('_', '-')) && !block.containsKey(e.getKey()))
        .sorted(Comparator.comparingInt(e -> e.getValue().origin().lineNumber()))
        .forEach(e -> warnings.add(ValueReader.where(e.getValue().origin()) + e.getKey() + " is outside the "
            + Settings.ROOT + " block, where Narwhal does not read it; write " + Settings.ROOT + " { "
            + e.getKey().replace('_', '-') + " = ... } (if the key is your application's own, ignore this)"));
  }

  private static boolean looksLikeASetting(String key, ConfigValue value) {
    try {
      return value.valueType() == ConfigValueType.OBJECT ? isGroup(key) : Settings.byKey(key).isPresent();
    } catch (ConfigException.NotResolved substitution) {
      return false; // a value made of substitutions (${?TIMEOUT}): someone's own, resolved later
    }
  }

  /** Whether {@code key} is the first part of dotted setting keys, like {@code cluster}. */
  private static boolean isGroup(String key) {
    return Settings.ALL.stream().anyMatch(s -> s.key().startsWith(key + "."));
  }

  private static void checkGroup(String group, ConfigObject object) {
    for (Map.Entry<String, ConfigValue> entry : object.entrySet()) {
      String key = group + "." + entry.getKey();
      if (Settings.byKey(key).isEmpty()) {
        throw unknown(key, entry.getValue());
      }
    }
  }

  private static SettingsException unknown(String key, ConfigValue value) {
    String hint = closestKey(key).map(k -> "; did you mean " + Settings.ROOT + "." + k + "?").orElse("");
    return new SettingsException(ValueReader.where(value.origin()) + Settings.ROOT + "." + key
        + ": unknown setting" + hint + " (every setting is listed in docs/settings.md)");
  }

  private static String quote(String key) {
    return "\"" + key + "\"";
  }

  /**
   * The known key {@code key} stands for: the setting whose command-line flag it is ({@code env}
   * for raw-env, {@code access-logfile} for accesslog: gunicorn's flags and keys differ), else the
   * key nearest by edit distance, if it is close enough to be a typo.
   */
  static Optional<String> closestKey(String key) {
    String normal = key.replace('_', '-').toLowerCase();
    Optional<String> byFlag = Settings.ALL.stream()
        .filter(s -> s.flags().stream().anyMatch(f -> f.startsWith("--") && f.substring(2).equals(normal)))
        .map(Setting::key)
        .findFirst();
    if (byFlag.isPresent()) {
      return byFlag;
    }
    return Settings.ALL.stream()
        .map(Setting::key)
        .min(Comparator.comparingInt(k -> editDistance(normal, k)))
        .filter(k -> editDistance(normal, k) <= Math.max(2, k.length() / 3));
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
