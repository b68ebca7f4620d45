package dev.narwhal.http.internal;

import dev.narwhal.Request;
import dev.narwhal.config.PoolRoutes;
import dev.narwhal.supervisor.WorkQueue;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * INTERNAL API. Where the front end puts a request: the {@link WorkQueue} of the pool its route
 * names ({@link PoolRoutes}), else the default pool's. Immutable; called on every request, on any
 * thread, with no actor involved.
 */
public final class PoolQueues {
  private final PoolRoutes routes;
  private final Map<String, WorkQueue> queues;
  private final WorkQueue fallback;

  /**
   * @param queues every pool's queue by name, {@link PoolRoutes#DEFAULT} included
   */
  public PoolQueues(PoolRoutes routes, Map<String, WorkQueue> queues) {
    this.routes = routes;
    this.queues = Collections.unmodifiableMap(new LinkedHashMap<>(queues));
    this.fallback = queues.get(PoolRoutes.DEFAULT);
    if (fallback == null) {
      throw new IllegalArgumentException("no default pool");
    }
    for (var route : routes.routes()) {
      if (!queues.containsKey(route.pool())) {
        throw new IllegalArgumentException("a route to pool '" + route.pool() + "', which has no queue");
      }
    }
  }

  /** One pool, no routes. */
  public static PoolQueues single(WorkQueue queue) {
    return new PoolQueues(PoolRoutes.NONE, Map.of(PoolRoutes.DEFAULT, queue));
  }

  /** The pool {@code request} goes to. */
  public String poolFor(Request request) {
    return routes.isEmpty() ? PoolRoutes.DEFAULT : routes.poolFor(request.method(), request.path(), request::header);
  }

  /** The queue of the pool named {@code pool}, which must be one of them. */
  public WorkQueue queue(String pool) {
    return pool.equals(PoolRoutes.DEFAULT) ? fallback : queues.get(pool);
  }

  public WorkQueue defaultQueue() {
    return fallback;
  }

  /** Every pool's queue by name, the default first. */
  public Map<String, WorkQueue> all() {
    return queues;
  }
}
