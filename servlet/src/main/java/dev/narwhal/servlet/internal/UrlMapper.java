package dev.narwhal.servlet.internal;

import jakarta.servlet.http.MappingMatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Servlet URL patterns (Servlet 6.1, section 12.2) and the choice of a servlet for a path with the
 * spec's precedence: exact, then the longest {@code /prefix/*}, then {@code *.extension}, then the
 * default {@code /}. The empty pattern {@code ""} maps the context root alone.
 */
public final class UrlMapper {
  /** Where a path went: the servlet, and how the path splits into servlet path and path info. */
  public record Match(String servletName, String pattern, String servletPath, String pathInfo,
      MappingMatch kind) {
    /** The part of the path that matched, as HttpServletMapping.getMatchValue reports it. */
    public String matchValue() {
      return switch (kind) {
        case EXACT -> servletPath.startsWith("/") ? servletPath.substring(1) : servletPath;
        case PATH -> pathInfo == null ? "" : pathInfo.substring(1);
        case EXTENSION -> servletPath.substring(1, servletPath.lastIndexOf('.'));
        default -> "";
      };
    }
  }

  private final Map<String, String> exact = new LinkedHashMap<>();
  private final Map<String, String> prefix = new LinkedHashMap<>();
  private final Map<String, String> extension = new LinkedHashMap<>();
  private String defaultServlet;
  private String contextRoot;

  /** Checks a pattern is one of the four forms; a malformed one is a deployment error. */
  public static String validate(String pattern) {
    if (pattern == null) {
      throw new IllegalArgumentException("a URL pattern cannot be null");
    }
    boolean ok = pattern.isEmpty() || pattern.equals("/")
        || (pattern.startsWith("*.") && pattern.indexOf('/') < 0 && pattern.length() > 2)
        || (pattern.startsWith("/") && (!pattern.contains("*") || (pattern.endsWith("/*")
            && pattern.indexOf('*') == pattern.length() - 1)));
    if (!ok) {
      throw new IllegalArgumentException("invalid servlet URL pattern '" + pattern
          + "': use an exact path (/a/b), a prefix (/a/*), an extension (*.jsp), / or \"\"");
    }
    return pattern;
  }

  /**
   * Maps {@code pattern} to {@code servletName}. Returns false when another servlet already has it
   * (ServletRegistration.addMapping reports such conflicts).
   */
  public synchronized boolean add(String pattern, String servletName) {
    validate(pattern);
    Map<String, String> table;
    String key;
    if (pattern.isEmpty()) {
      if (contextRoot != null && !contextRoot.equals(servletName)) {
        return false;
      }
      contextRoot = servletName;
      return true;
    } else if (pattern.equals("/")) {
      if (defaultServlet != null && !defaultServlet.equals(servletName)) {
        return false;
      }
      defaultServlet = servletName;
      return true;
    } else if (pattern.startsWith("*.")) {
      table = extension;
      key = pattern.substring(2);
    } else if (pattern.endsWith("/*")) {
      table = prefix;
      key = pattern.substring(0, pattern.length() - 2);
    } else {
      table = exact;
      key = pattern;
    }
    String existing = table.putIfAbsent(key, servletName);
    return existing == null || existing.equals(servletName);
  }

  /** The servlet for {@code path} (decoded, relative to the context path, starting with /). */
  public synchronized Optional<Match> match(String path) {
    if (path.isEmpty() || path.equals("/")) {
      if (contextRoot != null) {
        return Optional.of(new Match(contextRoot, "", "", "/", MappingMatch.CONTEXT_ROOT));
      }
    }
    String exactName = exact.get(path);
    if (exactName != null) {
      return Optional.of(new Match(exactName, path, path, null, MappingMatch.EXACT));
    }
    // longest prefix first: walk up the path one segment at a time
    String candidate = path;
    while (true) {
      String name = prefix.get(candidate);
      if (name != null) {
        String info = path.length() > candidate.length() ? path.substring(candidate.length()) : null;
        return Optional.of(new Match(name, candidate + "/*", candidate, info, MappingMatch.PATH));
      }
      if (candidate.isEmpty()) {
        break;
      }
      int slash = candidate.lastIndexOf('/');
      candidate = slash < 0 ? "" : candidate.substring(0, slash);
    }
    int lastSlash = path.lastIndexOf('/');
    int dot = path.lastIndexOf('.');
    if (dot > lastSlash) {
      String name = extension.get(path.substring(dot + 1));
      if (name != null) {
        return Optional.of(new Match(name, "*." + path.substring(dot + 1), path, null, MappingMatch.EXTENSION));
      }
    }
    if (defaultServlet != null) {
      return Optional.of(new Match(defaultServlet, "/", path, null, MappingMatch.DEFAULT));
    }
    return Optional.empty();
  }

  /** Every pattern mapped to {@code servletName}. */
  public synchronized List<String> patternsOf(String servletName) {
    List<String> patterns = new ArrayList<>();
    exact.forEach((k, v) -> { if (v.equals(servletName)) patterns.add(k); });
    prefix.forEach((k, v) -> { if (v.equals(servletName)) patterns.add(k + "/*"); });
    extension.forEach((k, v) -> { if (v.equals(servletName)) patterns.add("*." + k); });
    if (servletName.equals(defaultServlet)) patterns.add("/");
    if (servletName.equals(contextRoot)) patterns.add("");
    return patterns;
  }

  /**
   * Whether a filter's URL pattern applies to {@code path}: the same four forms, where {@code /}
   * and {@code /*} match every path.
   */
  public static boolean filterMatches(String pattern, String path) {
    if (pattern.equals("/*") || pattern.equals("/") || pattern.equals(path)) {
      return true;
    }
    if (pattern.isEmpty()) {
      return path.isEmpty() || path.equals("/");
    }
    if (pattern.endsWith("/*")) {
      String base = pattern.substring(0, pattern.length() - 2);
      return path.equals(base) || path.startsWith(base + "/");
    }
    if (pattern.startsWith("*.")) {
      int dot = path.lastIndexOf('.');
      return dot > path.lastIndexOf('/') && path.substring(dot + 1).equals(pattern.substring(2));
    }
    return false;
  }
}
