package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.Route;

/** INTERNAL API. {@code GET /threads[?format=json]}: a thread dump (see {@link ThreadDump}). */
final class ThreadRoutes {
  Route route() {
    return path("threads", () -> get(() -> parameterOptional("format", format ->
        format.filter("json"::equalsIgnoreCase).isPresent()
            ? complete(Json.response(200, ThreadDump.json()))
            : complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, ThreadDump.text())))));
  }
}
