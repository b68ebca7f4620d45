package dev.narwhal.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Picks the pool a request goes to: the most specific route that matches, else the default pool.
 * More specific means, in order: a longer path prefix, then more terms (method, header), then the
 * pool declared first in name order (only to be deterministic: two pools with the same route are a
 * config error). Pure and immutable: the front end calls it on every request, on any thread.
 */
public final class PoolRoutes {
  /** The pool every request not routed elsewhere goes to. */
  public static final String DEFAULT = "default";

  /** No named pools: every request goes to the default pool. */
  public static final PoolRoutes NONE = new PoolRoutes(List.of());

  private final PoolRoute[] routes;

  public PoolRoutes(List<PoolRoute> routes) {
    List<PoolRoute> ordered = new ArrayList<>(routes);
    ordered.sort(Comparator.comparingInt((PoolRoute r) -> r.prefix() == null ? 0 : r.prefix().length()).reversed()
        .thenComparing(Comparator.comparingInt(PoolRoute::terms).reversed())
        .thenComparing(PoolRoute::pool));
    this.routes = ordered.toArray(PoolRoute[]::new);
  }

  /** The routes of every named pool. */
  public static PoolRoutes of(List<NamedPool> pools) {
    return new PoolRoutes(pools.stream().flatMap(p -> p.routes().stream()).toList());
  }

  /** Whether any request can go anywhere but the default pool. */
  public boolean isEmpty() {
    return routes.length == 0;
  }

  /**
   * The pool for a request.
   *
   * @param header a header's value by its lower-case name
   */
  public String poolFor(String method, String path, Function<String, Optional<String>> header) {
    for (PoolRoute route : routes) {
      if (route.matches(method, path, header)) {
        return route.pool();
      }
    }
    return DEFAULT;
  }

  /** The routes in the order they are tried. */
  public List<PoolRoute> routes() {
    return List.of(routes);
  }
}
