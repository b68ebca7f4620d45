package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /threads[?format=json]}: a thread dump (see {@link ThreadDump}).
 *
 * <p>Hazard: a dump walks every thread and stops the JVM at a safepoint to do it, so unlimited
 * dumps would let one client stall every request; {@code dumps} lets one through per interval.
 */
final class ThreadRoutes {
  private final AdminAccess access;
  private final RateGate dumps;

  ThreadRoutes(AdminAccess access, RateGate dumps) {
    this.access = access;
    this.dumps = dumps;
  }

  Route route() {
    return path("threads", () -> get(() -> access.readAllowed(() -> parameterOptional("format", format ->
        dumps.limit(() -> format.filter("json"::equalsIgnoreCase).isPresent()
            ? complete(Json.response(200, ThreadDump.json()))
            : complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, ThreadDump.text())))))));
  }
}
