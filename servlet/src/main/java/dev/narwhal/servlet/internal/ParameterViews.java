package dev.narwhal.servlet.internal;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The four ServletRequest parameter getters over one name-to-values map, in its order: for the
 * request itself and for a forwarded or included one, which merges its own query in front.
 */
final class ParameterViews {
  private ParameterViews() {}

  static String first(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  static String[] values(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    return values == null ? null : values.toArray(String[]::new);
  }

  static Enumeration<String> names(Map<String, List<String>> parameters) {
    return Collections.enumeration(List.copyOf(parameters.keySet()));
  }

  static Map<String, String[]> asArrays(Map<String, List<String>> parameters) {
    Map<String, String[]> map = new LinkedHashMap<>();
    parameters.forEach((k, v) -> map.put(k, v.toArray(String[]::new)));
    return Collections.unmodifiableMap(map);
  }
}
