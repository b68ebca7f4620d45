package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import dev.narwhal.http.internal.RecentTraffic;
import java.time.Instant;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /stats[?seconds=N]}: the pool and the traffic as JSON (see
 * {@link StatsJson}); {@code seconds} is how much per-second history to include (default 300,
 * 0 for none). {@code GET /stats?scope=cluster} on a cluster node: every member and every node's
 * pool (see {@link ClusterStatsJson}), with {@code generated_at}; requests within a second share
 * one view, so polling clients cannot make every node answer without bound.
 */
final class StatsRoutes {
  private final AdminControls server;
  private final AdminAccess access;
  private final SharedResult<HttpResponse> clusterViews;

  /** @param clusterViews the cluster view, which asks every node, shared for an interval */
  StatsRoutes(AdminControls server, AdminAccess access, SharedResult<HttpResponse> clusterViews) {
    this.server = server;
    this.access = access;
    this.clusterViews = clusterViews;
  }

  Route route() {
    return path("stats", () -> get(() -> access.readAllowed(() -> parameterOptional("scope", scope -> {
      if (scope.isPresent() && scope.get().equals("cluster")) {
        return cluster();
      }
      if (scope.isPresent() && !scope.get().equals("node")) {
        return complete(Json.error(400, "scope must be node or cluster, got '" + scope.get() + "'"));
      }
      return parameterOptional("seconds", seconds -> completeWithFuture(
          server.state().handle((state, error) -> error == null
              ? Json.response(200, StatsJson.render(state, server, seconds(seconds)))
              : Json.error(503, "stats unavailable: " + error.getMessage()))));
    }))));
  }

  /** Every member and every node's pool, at most a second old; 404 when this server is not a cluster node. */
  private Route cluster() {
    if (server.cluster().isEmpty()) {
      return complete(Json.error(404, "this server is not a cluster node (cluster.enabled is off)"));
    }
    return completeWithFuture(clusterViews.get(() -> server.cluster().get().snapshot().handle((view, error) -> error == null
        ? Json.response(200, ClusterStatsJson.render(view).put("generated_at", Instant.now().toString()))
        : Json.error(503, "cluster view unavailable: " + error.getMessage()))));
  }

  private static int seconds(Optional<String> given) {
    try {
      return given.map(s -> Math.max(0, Math.min(RecentTraffic.SECONDS - 1, Integer.parseInt(s.strip()))))
          .orElse(RecentTraffic.SECONDS - 1);
    } catch (NumberFormatException e) {
      return RecentTraffic.SECONDS - 1;
    }
  }
}
