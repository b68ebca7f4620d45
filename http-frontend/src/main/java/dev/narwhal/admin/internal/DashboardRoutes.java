package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /}: the live dashboard, one self-contained page ({@code dashboard.html}
 * beside this class) that polls {@code /stats}. Its Content-Security-Policy forbids loading
 * anything from elsewhere, so it works offline and a mistake that would reach a CDN fails in the
 * browser test instead of in production.
 */
final class DashboardRoutes {
  private final byte[] page = load();

  Route route() {
    return pathEndOrSingleSlash(() -> get(() -> complete(HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, page))
        .addHeaders(List.of(
            RawHeader.create("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                + "style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"),
            RawHeader.create("Cache-Control", "no-cache"))))));
  }

  private static byte[] load() {
    try (InputStream in = DashboardRoutes.class.getResourceAsStream("dashboard.html")) {
      if (in == null) {
        throw new IllegalStateException("dashboard.html is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
