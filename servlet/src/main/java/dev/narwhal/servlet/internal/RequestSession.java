package dev.narwhal.servlet.internal;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpSession;

/** One request's view of its session: the id its cookie asked for, and the session once found or made. */
final class RequestSession {
  private final WebApp app;
  private final BridgeRequest request;
  private final BridgeResponse response;
  private boolean looked;
  private String requestedId;
  private MemorySession session;

  RequestSession(WebApp app, BridgeRequest request, BridgeResponse response) {
    this.app = app;
    this.request = request;
    this.response = response;
  }

  String requestedId() {
    if (!looked) {
      looked = true;
      String name = app.sessionCookieName();
      Cookie[] cookies = request.getCookies();
      if (cookies != null) {
        for (Cookie c : cookies) {
          if (c.getName().equals(name)) {
            requestedId = c.getValue();
            // the first live one wins when a client sends several (one per path)
            session = app.sessions().find(requestedId, app.context(), true).orElse(null);
            if (session != null) {
              break;
            }
          }
        }
      }
    }
    return requestedId;
  }

  boolean requestedIdValid() {
    requestedId();
    return session != null && session.valid() && session.getId().equals(requestedId);
  }

  HttpSession get(boolean create) {
    requestedId();
    if (session != null && !session.valid()) {
      session = null;
    }
    if (session == null && create) {
      if (response.isCommitted()) {
        throw new IllegalStateException("cannot create a session after the response was committed");
      }
      session = app.sessions().create(app.context());
      response.addCookie(cookie(session.getId()));
      app.sessionCreated(session);
    }
    return session;
  }

  String changeId() {
    if (get(false) == null) {
      throw new IllegalStateException("changeSessionId: this request has no session");
    }
    String id = app.sessions().changeId(session);
    response.addCookie(cookie(id));
    return id;
  }

  private Cookie cookie(String id) {
    Cookie c = new Cookie(app.sessionCookieName(), id);
    c.setPath(app.contextPath().isEmpty() ? "/" : app.contextPath());
    c.setHttpOnly(true);
    if (request.isSecure()) {
      c.setSecure(true);
    }
    return c;
  }
}
