package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import dev.narwhal.http.internal.RecentTraffic;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /stats[?seconds=N]}: the pool and the traffic as JSON (see
 * {@link StatsJson}); {@code seconds} is how much per-second history to include (default 300,
 * 0 for none).
 */
final class StatsRoutes {
  private final AdminControls server;

  StatsRoutes(AdminControls server) {
    this.server = server;
  }

  Route route() {
    return path("stats", () -> get(() -> parameterOptional("seconds", seconds -> completeWithFuture(
        server.stats().handle((stats, error) -> error == null
            ? Json.response(200, StatsJson.render(stats, server, seconds(seconds)))
            : Json.error(503, "stats unavailable: " + error.getMessage()))))));
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
