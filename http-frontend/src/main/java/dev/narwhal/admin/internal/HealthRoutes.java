package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /health/live}: the process answers. {@code GET /health/ready}: 200 while
 * the target number of workers has booted and no stop was asked for, 503 otherwise.
 *
 * <p>Readiness turns 503 the moment a stop is asked for, before anything else of the stop
 * happens, so a load balancer stops sending traffic while accepted requests drain. During a rolling
 * reload it stays 200: a worker retires only after its successor has booted.
 */
final class HealthRoutes {
  private final AdminControls server;

  HealthRoutes(AdminControls server) {
    this.server = server;
  }

  Route route() {
    return pathPrefix("health", () -> concat(
        path("live", () -> get(() -> complete(Json.response(200, Json.object().put("status", "live"))))),
        path("ready", () -> get(() -> completeWithFuture(ready())))));
  }

  private CompletionStage<HttpResponse> ready() {
    if (server.stopping()) {
      return CompletableFuture.completedFuture(
          Json.response(503, Json.object().put("status", "draining").put("reason", "the server is stopping")));
    }
    return server.stats().handle((stats, error) -> {
      if (error != null) {
        return Json.error(503, "stats unavailable: " + error.getMessage());
      }
      // checked again: a stop may have come while the arbiter was answering
      boolean ready = !server.stopping() && stats.bootedWorkers() >= stats.targetWorkers();
      String reason = server.stopping() ? "the server is stopping"
          : stats.bootedWorkers() + " of " + stats.targetWorkers() + " workers booted";
      return Json.response(ready ? 200 : 503, Json.object()
          .put("status", ready ? "ready" : server.stopping() ? "draining" : "booting")
          .put("booted_workers", stats.bootedWorkers())
          .put("target_workers", stats.targetWorkers())
          .put("reason", reason));
    });
  }
}
