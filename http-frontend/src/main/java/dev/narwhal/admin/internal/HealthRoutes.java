package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;

import dev.narwhal.http.internal.ServerState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /health/live}: the process answers, and no more threads are stuck in
 * timed-out requests than {@code max-stuck-threads} allows ({@link StuckThreadLimit}): past that
 * only a restart frees them, so liveness answers 503 for the process supervisor to restart the
 * server. {@code GET /health/ready}: 200 while the target number of workers has booted and no stop
 * was asked for, 503 otherwise.
 *
 * <p>Readiness turns 503 the moment a stop is asked for, before anything else of the stop
 * happens, so a load balancer stops sending traffic while accepted requests drain. During a rolling
 * reload it stays 200: a worker retires only after its successor has booted. The rule is
 * {@link ServerState#ready()}, the same one {@code /stats} and the metrics report.
 */
final class HealthRoutes {
  private final AdminControls server;
  private final StuckThreadLimit stuckLimit = new StuckThreadLimit();

  HealthRoutes(AdminControls server) {
    this.server = server;
  }

  Route route() {
    return pathPrefix("health", () -> concat(
        path("live", () -> get(() -> completeWithFuture(live()))),
        path("ready", () -> get(() -> completeWithFuture(ready())))));
  }

  private CompletionStage<HttpResponse> live() {
    return server.state().handle((state, error) -> {
      if (error != null) {
        // the process answers; whether threads are stuck is unknown, and an arbiter slow to answer
        // (a storm of reloads) is no reason for a restart
        return Json.response(200, Json.object().put("status", "live"));
      }
      int stuck = state.stats().abandonedThreads();
      int limit = server.maxStuckThreads();
      if (stuckLimit.check(stuck, limit).live()) {
        return Json.response(200, Json.object().put("status", "live").put("stuck_threads", stuck));
      }
      return Json.response(503, Json.object().put("status", "stuck").put("stuck_threads", stuck)
          .put("max_stuck_threads", limit)
          .put("reason", StuckThreadLimit.reason(stuck, limit) + "; restart the server"));
    });
  }

  private CompletionStage<HttpResponse> ready() {
    if (server.stopping()) {
      // answered without asking the arbiter: a stop must turn readiness off at once
      return CompletableFuture.completedFuture(Json.response(503, Json.object()
          .put("status", ServerState.Condition.DRAINING.label()).put("reason", "the server is stopping")));
    }
    return server.state().handle((state, error) -> {
      if (error != null) {
        return Json.error(503, "stats unavailable: " + error.getMessage());
      }
      return Json.response(state.ready() ? 200 : 503, Json.object()
          .put("status", state.ready() ? "ready" : state.condition().label())
          .put("booted_workers", state.bootedWorkers())
          .put("target_workers", state.targetWorkers())
          .put("reason", state.reason()));
    });
  }
}
