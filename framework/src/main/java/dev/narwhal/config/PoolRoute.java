package dev.narwhal.config;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * One route of a named pool ({@code narwhal.pools.NAME.routes}): which requests the pool serves.
 * A route is one to three terms separated by spaces, every one of which must match:
 *
 * <ul>
 *   <li>{@code /prefix}: the path starts with this prefix at a segment boundary ({@code /reports}
 *       matches {@code /reports} and {@code /reports/x}, not {@code /reportsx}; {@code /} matches all);
 *   <li>{@code METHOD}: an upper-case HTTP method such as {@code POST};
 *   <li>{@code header:NAME=VALUE}: the request has header NAME (any case) with exactly VALUE;
 *       {@code header:NAME} alone: the header is present.
 * </ul>
 *
 * <p>For example {@code "/reports"}, {@code "POST /exports"}, {@code "header:X-Heavy=1"},
 * {@code "GET /api header:X-Tenant=big"}. At most one of each kind of term.
 *
 * @param pool the pool the route sends requests to
 * @param method the method to match, or null for any
 * @param prefix the path prefix to match (no trailing slash except for {@code /}), or null for any
 * @param header the header's lower-case name to match, or null for none
 * @param headerValue the value the header must have, or null when being present is enough
 */
public record PoolRoute(String pool, String method, String prefix, String header, String headerValue) {
  /** The grammar, for error messages. */
  public static final String GRAMMAR = "a route such as \"/reports\", \"POST /exports\" or \"header:X-Heavy=1\" "
      + "(terms: /prefix, METHOD, header:NAME[=VALUE], separated by spaces)";

  /**
   * Parses {@code text} as a route to {@code pool}.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static PoolRoute parse(String pool, String text) {
    String method = null;
    String prefix = null;
    String header = null;
    String value = null;
    String[] terms = text.strip().split("\\s+");
    if (text.isBlank()) {
      throw new IllegalArgumentException("an empty route");
    }
    for (String term : terms) {
      if (term.startsWith("/")) {
        if (prefix != null) {
          throw new IllegalArgumentException("two path prefixes");
        }
        prefix = term.length() > 1 && term.endsWith("/") ? term.substring(0, term.length() - 1) : term;
      } else if (term.regionMatches(true, 0, "header:", 0, 7)) {
        if (header != null) {
          throw new IllegalArgumentException("two headers");
        }
        String spec = term.substring(7);
        int eq = spec.indexOf('=');
        header = (eq < 0 ? spec : spec.substring(0, eq)).toLowerCase(Locale.ROOT);
        value = eq < 0 ? null : spec.substring(eq + 1);
        if (!header.matches("[a-z0-9!#$%&'*+.^_`|~-]+")) {
          throw new IllegalArgumentException("a header name that is not a token: '" + term + "'");
        }
      } else if (term.matches("[A-Z]+")) {
        if (method != null) {
          throw new IllegalArgumentException("two methods");
        }
        method = term;
      } else {
        throw new IllegalArgumentException("'" + term + "' is neither /prefix, METHOD nor header:NAME=VALUE");
      }
    }
    return new PoolRoute(pool, method, prefix, header, value);
  }

  /** Whether a request with this method, path and headers ({@code header} by lower-case name) takes this route. */
  public boolean matches(String requestMethod, String path, Function<String, Optional<String>> headerValue) {
    if (method != null && !method.equals(requestMethod)) {
      return false;
    }
    if (prefix != null && !prefix.equals("/")
        && !(path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/'))) {
      return false;
    }
    if (header != null) {
      Optional<String> got = headerValue.apply(header);
      return got.isPresent() && (this.headerValue == null || this.headerValue.equals(got.get().strip()));
    }
    return true;
  }

  /** How many terms the route has: a route with more is more specific. */
  int terms() {
    return (method == null ? 0 : 1) + (prefix == null ? 0 : 1) + (header == null ? 0 : 1);
  }

  /** The route without its pool, as written (normalised), for messages and /stats. */
  public String text() {
    StringBuilder b = new StringBuilder();
    if (method != null) {
      b.append(method).append(' ');
    }
    if (prefix != null) {
      b.append(prefix).append(' ');
    }
    if (header != null) {
      b.append("header:").append(header).append(headerValue == null ? "" : "=" + headerValue);
    }
    return b.toString().strip();
  }
}
