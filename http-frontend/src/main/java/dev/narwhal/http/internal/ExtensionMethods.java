package dev.narwhal.http.internal;

import java.util.List;
import java.util.Set;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.RequestEntityAcceptances;

/**
 * INTERNAL API. The methods of IANA's HTTP Method Registry beyond RFC 9110's eight and PATCH,
 * which Pekko's parser knows: WebDAV's (RFC 4918, 3253, 3648, 3744, 4791, 5323, 5842), LINK and
 * UNLINK, and QUERY. Pekko answers any other method 501 before the application sees it (over
 * HTTP/2 it ends the connection), so a WebDAV or CalDAV servlet never got its PROPFIND; gunicorn,
 * Tomcat and Jetty hand such methods to the application, which answers 405 or 501 itself. A
 * method outside the registry still gets Pekko's 501: the sentinel methods of
 * {@link RawFramingGuard} must stay unknown to the parser.
 */
final class ExtensionMethods {
  /** Safe as well as idempotent (RFC 9110 section 9.2.1): the registry's "Safe" column. */
  private static final Set<String> SAFE = Set.of("PROPFIND", "REPORT", "SEARCH", "QUERY");
  /** Neither safe nor idempotent. */
  private static final Set<String> NOT_IDEMPOTENT = Set.of("LOCK");
  private static final List<String> NAMES = List.of("ACL", "BASELINE-CONTROL", "BIND", "CHECKIN", "CHECKOUT",
      "COPY", "LABEL", "LINK", "LOCK", "MERGE", "MKACTIVITY", "MKCALENDAR", "MKCOL", "MKREDIRECTREF", "MKWORKSPACE",
      "MOVE", "ORDERPATCH", "PROPFIND", "PROPPATCH", "QUERY", "REBIND", "REPORT", "SEARCH", "UNBIND", "UNCHECKOUT",
      "UNLINK", "UNLOCK", "UPDATE", "UPDATEREDIRECTREF", "VERSION-CONTROL");

  private ExtensionMethods() {}

  /** The registry's methods as Pekko custom methods, each taking a body (WebDAV's carry XML). */
  static HttpMethod[] all() {
    return NAMES.stream()
        .map(name -> HttpMethods.custom(name, SAFE.contains(name), !NOT_IDEMPOTENT.contains(name),
            RequestEntityAcceptances.Expected))
        .toArray(HttpMethod[]::new);
  }
}
