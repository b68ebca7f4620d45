package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import dev.narwhal.http.internal.Metrics;
import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /metrics}: Kamon's latest snapshot in Prometheus' text format (at most
 * one {@code metrics-tick-interval} old), or 404 when {@code metrics} is off.
 */
final class MetricsRoutes {
  private final Optional<Metrics> metrics;
  private final AdminAccess access;

  MetricsRoutes(Optional<Metrics> metrics, AdminAccess access) {
    this.metrics = metrics;
    this.access = access;
  }

  Route route() {
    return path("metrics", () -> get(() -> access.readAllowed(() -> complete(metrics
        .map(m -> HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, m.scrape())))
        .orElseGet(() -> HttpResponse.create().withStatus(StatusCodes.NOT_FOUND).withEntity(
            ContentTypes.TEXT_PLAIN_UTF8, "metrics are off (metrics = off)\n"))))));
  }
}
