package dev.narwhal.examples.blog;

import dev.narwhal.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Reads HTML form posts ({@code application/x-www-form-urlencoded}, what a plain {@code <form>} sends). */
final class Forms {
  private Forms() {}

  /**
   * The form's fields, first value wins. Refuses other media types with 415 rather than guessing:
   * a multipart or JSON body parsed as a form would come out as one garbage field.
   */
  static Map<String, String> read(Request request) {
    String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      throw new HttpError(415, "expected a form (Content-Type: application/x-www-form-urlencoded), got "
          + (type.isEmpty() ? "no Content-Type" : type));
    }
    Map<String, String> fields = new HashMap<>();
    for (String pair : request.bodyAsString().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      fields.putIfAbsent(name, value);
    }
    return fields;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8); // '+' is a space in forms
    } catch (IllegalArgumentException e) {
      throw HttpError.badRequest("malformed form encoding: " + e.getMessage());
    }
  }
}
