package dev.narwhal.examples.blog;

import dev.narwhal.Request;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Refuses writes a browser sends on behalf of another site (cross-site request forgery): without
 * this, any page a visitor opens could hold a hidden {@code <form action="http://blog/posts/1/delete"
 * method="post">} and submit it with the visitor's browser.
 *
 * <p>The check reads the headers browsers set themselves, which no page can forge (OWASP's "verify
 * origin with standard headers", the rule Go's {@code http.CrossOriginProtection} applies) rather
 * than a token: nothing to store, no token to thread through every form, and it holds for the
 * JSON API too. In order:
 * <ol>
 *   <li>{@code Sec-Fetch-Site} (every current browser sends it): only {@code same-origin} and
 *       {@code none} (the user's own navigation) may write. {@code same-site} is refused too: a
 *       sibling subdomain is another party.
 *   <li>Otherwise {@code Origin} (older browsers): it must be this server's own origin, the
 *       request's scheme (which honours trusted {@code X-Forwarded-Proto}, see
 *       {@code forwarded-allow-ips}) and its {@code Host}. {@code Origin: null} (a sandboxed or
 *       {@code data:} page) never matches.
 *   <li>Neither header: allowed. That is curl, scripts and browsers too old to send either; a
 *       browser request that a page triggers carries at least one of them, so refusing these
 *       would lock out programs without stopping any forgery.
 * </ol>
 * Safe methods (GET, HEAD, OPTIONS) are never refused: they change nothing.
 */
final class SameOrigin {
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");
  private static final Set<String> OWN_FETCH = Set.of("same-origin", "none");

  private SameOrigin() {}

  /** Throws a 403 when {@code request} writes and a browser says it came from another site. */
  static void check(Request request) {
    if (SAFE.contains(request.method())) {
      return;
    }
    Optional<String> fetchSite = request.header("Sec-Fetch-Site");
    if (fetchSite.isPresent()) {
      if (!OWN_FETCH.contains(fetchSite.get().strip().toLowerCase(Locale.ROOT))) {
        throw refused();
      }
      return;
    }
    Optional<String> origin = request.header("Origin");
    if (origin.isPresent() && !origin.get().strip().equalsIgnoreCase(ownOrigin(request))) {
      throw refused();
    }
  }

  /** {@code scheme://host[:port]} as a browser writes it in {@code Origin}: no default port. */
  static String ownOrigin(Request request) {
    String scheme = request.scheme().toLowerCase(Locale.ROOT);
    String host = request.header("Host").orElse("").strip();
    String defaultPort = scheme.equals("https") ? ":443" : ":80";
    if (host.endsWith(defaultPort)) {
      host = host.substring(0, host.length() - defaultPort.length());
    }
    return scheme + "://" + host;
  }

  private static HttpError refused() {
    return new HttpError(403, "this form was sent from another site; "
        + "writes are only accepted from the blog's own pages");
  }
}
