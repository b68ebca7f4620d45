package dev.narwhal.servlet.internal;

import dev.narwhal.Header;
import dev.narwhal.Request;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletConnection;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpSession;
import java.io.BufferedReader;
import java.io.UnsupportedEncodingException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Narwhal {@link Request} seen as an {@code HttpServletRequest}. Headers, the body, the client's
 * address and the scheme come from the request as the front end completed it (trusted forwarded
 * headers already applied); the servlet path and path info come from the mapping.
 */
final class BridgeRequest extends RequestBase {
  private static final AtomicLong IDS = new AtomicLong();

  private final Request request;
  private final BridgeResponse response;
  private final RequestBody body;
  private final Map<String, Object> attributes = new LinkedHashMap<>();
  private final String requestId = Long.toString(IDS.incrementAndGet());
  private final RequestSession session;
  private Cookie[] cookies;

  BridgeRequest(WebApp app, Request request, BridgeResponse response, String path, UrlMapper.Match match) {
    super(app, path, match);
    this.request = request;
    this.response = response;
    this.body = new RequestBody(request, app.context().getRequestCharacterEncoding());
    this.session = new RequestSession(app, this, response);
    if (!request.clientCertificates().isEmpty()) {
      // Servlet 6 section 3.10: the chain the client presented, as Tomcat and Jetty give it
      attributes.put("jakarta.servlet.request.X509Certificate",
          request.clientCertificates().toArray(X509Certificate[]::new));
    }
  }

  Request narwhal() {
    return request;
  }

  // ---- the request line and headers

  @Override
  public String getMethod() {
    return request.method();
  }

  @Override
  public String getRequestURI() {
    return request.path();
  }

  @Override
  public String getQueryString() {
    return request.query().isEmpty() ? null : request.query();
  }

  @Override
  public String getProtocol() {
    return request.version();
  }

  @Override
  public String getHeader(String name) {
    return request.header(name).orElse(null);
  }

  @Override
  public Enumeration<String> getHeaders(String name) {
    return Collections.enumeration(request.headers(name));
  }

  @Override
  public Enumeration<String> getHeaderNames() {
    Set<String> names = new LinkedHashSet<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Header h : request.headers()) {
      if (seen.add(h.name().toLowerCase(Locale.ROOT))) {
        names.add(h.name());
      }
    }
    return Collections.enumeration(names);
  }

  @Override
  public Cookie[] getCookies() {
    if (cookies == null) {
      cookies = HttpText.parseCookies(request.headers("Cookie")).toArray(Cookie[]::new);
    }
    return cookies.length == 0 ? null : cookies.clone();
  }

  @Override
  public String getScheme() {
    return request.scheme();
  }

  @Override
  public boolean isSecure() {
    return "https".equalsIgnoreCase(request.scheme());
  }

  @Override
  public String getRemoteAddr() {
    return request.clientAddress().map(BridgeRequest::host).orElse("0.0.0.0");
  }

  @Override
  public String getRemoteHost() {
    return getRemoteAddr(); // no reverse DNS lookups on the worker's thread, as Tomcat's default
  }

  @Override
  public int getRemotePort() {
    return request.clientAddress().map(InetSocketAddress::getPort).orElse(0);
  }

  private static String host(InetSocketAddress a) {
    return a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
  }

  // ---- the body and parameters

  @Override
  public String getCharacterEncoding() {
    return body.encoding();
  }

  @Override
  public void setCharacterEncoding(String env) throws UnsupportedEncodingException {
    body.encoding(env);
  }

  @Override
  public int getContentLength() {
    long length = getContentLengthLong();
    return length > Integer.MAX_VALUE ? -1 : (int) length;
  }

  /**
   * -1 when the request declared no length (a GET without a body, or a chunked body), as the
   * Servlet spec and Tomcat say; a request built in code with a body and no header has its body's
   * length. (The front end declares Content-Length: 0 for a POST, PUT or PATCH without a body.)
   */
  @Override
  public long getContentLengthLong() {
    boolean declared = request.header("Content-Length").isPresent()
        || request.bodySize() > 0 && request.header("Transfer-Encoding").isEmpty();
    return declared ? request.bodySize() : -1;
  }

  @Override
  public String getContentType() {
    return request.header("Content-Type").orElse(null);
  }

  @Override
  public ServletInputStream getInputStream() {
    return body.inputStream();
  }

  @Override
  public BufferedReader getReader() {
    return body.reader();
  }

  @Override
  Map<String, List<String>> parameters() {
    return body.parameters();
  }

  @Override
  public Locale getLocale() {
    List<Locale> all = HttpText.parseLocales(request.headers("Accept-Language"));
    return all.isEmpty() ? Locale.getDefault() : all.get(0);
  }

  @Override
  public Enumeration<Locale> getLocales() {
    List<Locale> all = HttpText.parseLocales(request.headers("Accept-Language"));
    return Collections.enumeration(all.isEmpty() ? List.of(Locale.getDefault()) : all);
  }

  // ---- attributes, sessions, dispatch

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    return Collections.enumeration(List.copyOf(attributes.keySet()));
  }

  @Override
  public void setAttribute(String name, Object o) {
    if (o == null) {
      removeAttribute(name);
    } else {
      attributes.put(name, o);
    }
  }

  @Override
  public void removeAttribute(String name) {
    attributes.remove(name);
  }

  @Override
  public HttpSession getSession(boolean create) {
    return session.get(create);
  }

  @Override
  public HttpSession getSession() {
    return session.get(true);
  }

  @Override
  public String changeSessionId() {
    return session.changeId();
  }

  @Override
  public String getRequestedSessionId() {
    return session.requestedId();
  }

  @Override
  public boolean isRequestedSessionIdValid() {
    return session.requestedIdValid();
  }

  @Override
  public boolean isRequestedSessionIdFromCookie() {
    return session.requestedId() != null;
  }

  @Override
  public boolean isRequestedSessionIdFromURL() {
    return false; // sessions travel in the cookie only; URL rewriting is not done
  }

  @Override
  public DispatcherType getDispatcherType() {
    return DispatcherType.REQUEST;
  }

  @Override
  public String getRequestId() {
    return requestId;
  }

  @Override
  public String getProtocolRequestId() {
    return "";
  }

  @Override
  public ServletConnection getServletConnection() {
    return new ServletConnection() {
      public String getConnectionId() { return requestId; }
      public String getProtocol() { return request.version(); }
      public String getProtocolConnectionId() { return ""; }
      public boolean isSecure() { return BridgeRequest.this.isSecure(); }
    };
  }

  @Override
  public ServletContext getServletContext() {
    return app.context();
  }

  @Override
  public RequestDispatcher getRequestDispatcher(String path) {
    return app.dispatcher(resolve(path));
  }

  BridgeResponse response() {
    return response;
  }

  @Override
  public HttpServletMapping getHttpServletMapping() {
    return mapping(match);
  }
}
