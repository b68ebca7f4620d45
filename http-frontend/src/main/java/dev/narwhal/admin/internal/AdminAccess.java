package dev.narwhal.admin.internal;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;

import dev.narwhal.config.IpLiteral;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * INTERNAL API. Who may use the admin API: which {@code Host} names it answers to, and, for reads
 * with {@code admin-read-auth} on and for control always, the token.
 *
 * <p>Hazard, DNS rebinding: a web page on {@code evil.example} can point its own name at
 * 127.0.0.1 and then read {@code http://evil.example:9191/stats} from a visitor's browser, same
 * origin as far as the browser knows. Such requests carry {@code Host: evil.example:9191}, so names
 * other than {@code localhost}, the bind's own host and {@code admin-allowed-hosts} are refused with
 * 421. IP literals pass: a browser sends one only for a page loaded from that very address, which
 * cannot be rebound, and Kubernetes probes address pods that way. A request without Host (HTTP/1.0)
 * passes too: browsers always send one.
 *
 * <p>A browser cannot send {@code Authorization} from the dashboard's script, so {@code /?token=T}
 * trades the token for a cookie: an HMAC of the token that {@link #readAllowed} accepts for reads
 * only, never for control (a cookie travels by itself; control needs the header).
 */
final class AdminAccess {
  /** Cookies set by admin servers start with this; the rest of the name tells servers apart. */
  static final String COOKIE_PREFIX = "narwhal-admin-";

  private final String token;
  private final boolean readAuth;
  private final List<String> allowedHosts;
  private final String readCookie;
  private final RefusalLog refusals;

  /**
   * @param allowedHosts besides localhost and IP literals: exact names, {@code .domain} for a
   *     domain and its subdomains, {@code *} for any; lower case, without ports
   */
  AdminAccess(String token, boolean readAuth, List<String> allowedHosts, RefusalLog refusals) {
    this.token = token;
    this.readAuth = readAuth;
    this.allowedHosts = List.copyOf(allowedHosts);
    this.readCookie = hmac(token, "narwhal admin read access");
    this.refusals = refusals;
  }

  boolean readAuth() {
    return readAuth;
  }

  /** {@code inner} when the request's Host is one this API answers to, else 421. */
  Route hostAllowed(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<String> host = request.getHeader("Host").map(HttpHeader::value);
      String target = request.getUri().host().address();
      Optional<String> refused = host.filter(h -> !allowed(hostName(h)))
          .or(() -> Optional.of(target).filter(t -> !t.isEmpty() && !allowed(hostName(t))));
      if (refused.isEmpty()) {
        return inner.get();
      }
      return complete(Json.error(421, "this admin API does not answer to Host '" + refused.get() + "'; "
          + "use localhost or an IP address, or add the name to admin-allowed-hosts"));
    });
  }

  /** Whether {@code host} (a name without port, lower case) may be used to reach the admin API. */
  boolean allowed(String host) {
    if (host.equals("localhost") || host.endsWith(".localhost") || (!host.contains("/") && IpLiteral.isValid(host)
        && !host.equals("*"))) {
      return true;
    }
    for (String a : allowedHosts) {
      if (a.equals("*") || a.equals(host) || (a.startsWith(".") && (host.endsWith(a) || host.equals(a.substring(1))))) {
        return true;
      }
    }
    return false;
  }

  /** The host part of a Host value: no port, no IPv6 brackets, no trailing dot, lower case. */
  static String hostName(String hostHeader) {
    String h = hostHeader.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && colon == h.lastIndexOf(':')) {
      h = h.substring(0, colon);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** {@code inner} when read-auth is off, or the request has the token (header or cookie); else 401. */
  Route readAllowed(Supplier<Route> inner) {
    if (!readAuth) {
      return inner.get();
    }
    return extractRequest(request -> {
      Optional<String> authorization = request.getHeader("Authorization").map(HttpHeader::value);
      if (AdminToken.matches(token, authorization) || hasReadCookie(request)) {
        return inner.get();
      }
      return refuse("read request", authorization.isPresent(), "admin-read-auth is on: send Authorization: Bearer "
          + "TOKEN, or open the dashboard once as /?token=TOKEN");
    });
  }

  /** {@code inner} when the request has {@code Authorization: Bearer TOKEN}; else 401. */
  Route controlAllowed(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<String> authorization = request.getHeader("Authorization").map(HttpHeader::value);
      if (AdminToken.matches(token, authorization)) {
        return inner.get();
      }
      return refuse("control request", authorization.isPresent(), "send Authorization: Bearer TOKEN (the token is "
          + "in the file named in the server's log, or admin-token)");
    });
  }

  /** Whether {@code given} is the token (the dashboard's {@code ?token=}). */
  boolean isToken(String given) {
    return AdminToken.matches(token, Optional.of("Bearer " + given));
  }

  /** A 401 for a wrong {@code ?token=}, counted like a wrong header. */
  Route refuseToken() {
    return refuse("dashboard login", true, "");
  }

  /** The {@code Set-Cookie} value that lets this browser read: session-only, script- and cross-site-proof. */
  String readCookieHeader() {
    return COOKIE_PREFIX + readCookie.substring(0, 8) + "=" + readCookie + "; Path=/; HttpOnly; SameSite=Strict";
  }

  private boolean hasReadCookie(HttpRequest request) {
    byte[] expected = readCookie.getBytes(StandardCharsets.US_ASCII);
    boolean found = false;
    for (HttpHeader header : request.getHeaders()) {
      if (!header.is("cookie")) {
        continue;
      }
      for (String pair : header.value().split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0 && pair.substring(0, eq).strip().startsWith(COOKIE_PREFIX)) {
          found |= MessageDigest.isEqual(pair.substring(eq + 1).strip().getBytes(StandardCharsets.US_ASCII), expected);
        }
      }
    }
    return found;
  }

  private Route refuse(String what, boolean tokenGiven, String hint) {
    refusals.refused(what + ", " + (tokenGiven ? "wrong" : "no") + " token");
    HttpResponse answer = Json.error(401, tokenGiven ? "wrong token" : "missing token: " + hint);
    return complete(answer.addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"narwhal-admin\"")));
  }

  private static String hmac(String key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
