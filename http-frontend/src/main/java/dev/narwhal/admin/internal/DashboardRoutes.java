package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.parameterOptional;
import static org.apache.pekko.http.javadsl.server.Directives.pathEndOrSingleSlash;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. {@code GET /}: the live dashboard, one self-contained page ({@code dashboard.html}
 * beside this class) that polls {@code /stats}. Its Content-Security-Policy forbids loading
 * anything from elsewhere, so it works offline and a mistake that would reach a CDN fails in the
 * browser test instead of in production.
 *
 * <p>With {@code admin-read-auth} on, the page and its {@code /stats} need the token, which a
 * browser's address bar cannot send as a header: {@code GET /?token=TOKEN} answers 303 to
 * {@code ./} with a read-only cookie (see {@link AdminAccess}), so the token leaves the address
 * bar and the history, and the page's own requests carry the cookie.
 */
final class DashboardRoutes {
  private final byte[] page = load();
  private final AdminAccess access;

  DashboardRoutes(AdminAccess access) {
    this.access = access;
  }

  Route route() {
    return pathEndOrSingleSlash(() -> get(() -> parameterOptional("token", given -> {
      if (given.isPresent() && access.readAuth()) {
        return access.isToken(given.get()) ? complete(HttpResponse.create().withStatus(StatusCodes.SEE_OTHER)
            .addHeaders(List.of(RawHeader.create("Location", "./"),
                RawHeader.create("Set-Cookie", access.readCookieHeader()),
                RawHeader.create("Cache-Control", "no-store"))))
            : access.refuseToken();
      }
      return access.readAllowed(this::page);
    })));
  }

  private Route page() {
    return complete(HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.TEXT_HTML_UTF8, page))
        .addHeaders(List.of(
            RawHeader.create("Content-Security-Policy", "default-src 'self'; script-src 'unsafe-inline'; "
                + "style-src 'unsafe-inline'; img-src 'self' data:; connect-src 'self'"),
            RawHeader.create("Cache-Control", "no-cache"))));
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
