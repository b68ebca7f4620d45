package dev.narwhal.servlet.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * INTERNAL API. The path a request maps by, canonical as Servlet 6 (section 3.5.2) asks: path
 * parameters removed from each segment, each segment decoded, empty and {@code .} segments
 * dropped, {@code ..} resolved. Without it {@code /public/../admin/x} mapped as {@code /public/*}
 * and reached that servlet with a path info of {@code /../admin/x}: a filter on {@code /admin/*}
 * never ran, and a servlet serving files from its path info could be led outside its directory.
 *
 * <p>Refused (empty, answered 400), as Jetty 12 refuses ambiguous URIs: a {@code ..} above the
 * root; an encoded {@code /} or {@code \} ({@code %2F}, {@code %5C}), which would decode into a
 * separator the mapping never saw; an encoded dot segment ({@code %2e%2e}), which some front
 * proxies resolve and others do not; a backslash, NUL or other control character once decoded.
 */
final class CanonicalPath {
  private CanonicalPath() {}

  /** {@code raw}, the request's path as sent (percent-encoded), made canonical; empty when refused. */
  static Optional<String> of(String raw) {
    if (!raw.isEmpty() && !raw.startsWith("/")) {
      return Optional.empty(); // else its first segment, taken for what precedes the '/', would vanish
    }
    Deque<String> segments = new ArrayDeque<>();
    String[] parts = raw.split("/", -1);
    boolean directory = false;
    for (int i = 1; i < parts.length; i++) { // parts[0] is what precedes the leading '/'
      String segment = withoutParameters(parts[i]);
      String lower = segment.toLowerCase(Locale.ROOT);
      if (lower.contains("%2f") || lower.contains("%5c")) {
        return Optional.empty();
      }
      String decoded = HttpText.decode(segment, StandardCharsets.UTF_8, false);
      if (decoded.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
        return Optional.empty();
      }
      boolean dots = decoded.equals(".") || decoded.equals("..");
      if (dots && !decoded.equals(segment)) {
        return Optional.empty(); // %2e or .%2e: a dot segment in disguise
      }
      directory = decoded.isEmpty() || dots; // what the path ends with: "/", "/." and "/.." name a directory
      if (decoded.equals("..")) {
        if (segments.isEmpty()) {
          return Optional.empty();
        }
        segments.removeLast();
      } else if (!decoded.isEmpty() && !decoded.equals(".")) {
        segments.addLast(decoded);
      }
    }
    String path = "/" + String.join("/", segments);
    return Optional.of(directory && !segments.isEmpty() ? path + "/" : path);
  }

  private static String withoutParameters(String segment) {
    int semicolon = segment.indexOf(';');
    return semicolon < 0 ? segment : segment.substring(0, semicolon);
  }
}
