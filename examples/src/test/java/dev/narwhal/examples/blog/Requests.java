package dev.narwhal.examples.blog;

import dev.narwhal.Request;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Requests as a browser or an API client would send them, for calling the handler directly. */
final class Requests {
  private Requests() {}

  static Request get(String target) {
    int q = target.indexOf('?');
    return q < 0 ? Request.builder("GET", target).build()
        : Request.builder("GET", target.substring(0, q)).query(target.substring(q + 1)).build();
  }

  static Request getJson(String path) {
    return Request.builder("GET", path).header("Accept", "application/json").build();
  }

  /** A form post; fields as name, value, name, value... */
  static Request form(String path, String... fields) {
    return Request.builder("POST", path).header("Content-Type", "application/x-www-form-urlencoded")
        .body(encode(fields)).build();
  }

  static Request json(String method, String path, String json) {
    return Request.builder(method, path).header("Content-Type", "application/json").body(json).build();
  }

  static String encode(String... fields) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < fields.length; i += 2) {
      map.put(fields[i], fields[i + 1]);
    }
    return map.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
