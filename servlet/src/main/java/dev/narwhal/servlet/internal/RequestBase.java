package dev.narwhal.servlet.internal;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;
import java.security.Principal;
import java.util.Collection;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.MappingMatch;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;

/**
 * The parts of a request derived from the mapping and from other getters: the context path,
 * servlet path and path info, the server's name and port, typed headers and the parameter views;
 * and what the bridge does not do (async, upgrade, multipart, container security), failing loudly.
 */
abstract class RequestBase implements HttpServletRequest {
  final WebApp app;
  /** The decoded path within the context, e.g. {@code /api/notes/7}. */
  final String path;
  final UrlMapper.Match match;

  RequestBase(WebApp app, String path, UrlMapper.Match match) {
    this.app = app;
    this.path = path;
    this.match = match;
  }

  abstract Map<String, List<String>> parameters();

  @Override
  public String getContextPath() {
    return app.contextPath();
  }

  @Override
  public String getServletPath() {
    return match == null ? path : match.servletPath();
  }

  @Override
  public String getPathInfo() {
    return match == null ? null : match.pathInfo();
  }

  @Override
  public String getPathTranslated() {
    return null; // no file system behind the context: its resources are on the class path
  }

  @Override
  public StringBuffer getRequestURL() {
    StringBuffer url = new StringBuffer(getScheme()).append("://").append(getServerName());
    int port = getServerPort();
    boolean defaultPort = (port == 80 && getScheme().equals("http")) || (port == 443 && getScheme().equals("https"));
    if (!defaultPort && port > 0) {
      url.append(':').append(port);
    }
    return url.append(getRequestURI());
  }

  /** From the Host header, as the client addressed the server. */
  @Override
  public String getServerName() {
    String host = hostHeader();
    if (host.startsWith("[")) {
      int end = host.indexOf(']');
      return end < 0 ? host : host.substring(0, end + 1);
    }
    int colon = host.lastIndexOf(':');
    return colon < 0 ? host : host.substring(0, colon);
  }

  @Override
  public int getServerPort() {
    String host = hostHeader();
    int colon = host.lastIndexOf(':');
    if (colon > host.lastIndexOf(']')) {
      try {
        return Integer.parseInt(host.substring(colon + 1));
      } catch (NumberFormatException e) {
        // fall through to the scheme's port
      }
    }
    return isSecure() ? 443 : 80;
  }

  private String hostHeader() {
    String host = getHeader("Host");
    return host == null || host.isBlank() ? "localhost" : host.strip();
  }

  /**
   * Narwhal's Request does not carry the socket's local address: the local name and port are the
   * ones the client addressed (Host), which is what applications use them for.
   */
  @Override
  public String getLocalName() {
    return getServerName();
  }

  @Override
  public String getLocalAddr() {
    return getServerName();
  }

  @Override
  public int getLocalPort() {
    return getServerPort();
  }

  @Override
  public long getDateHeader(String name) {
    String value = getHeader(name);
    return value == null ? -1 : HttpText.parseDate(value);
  }

  @Override
  public int getIntHeader(String name) {
    String value = getHeader(name);
    return value == null ? -1 : Integer.parseInt(value.strip());
  }

  @Override
  public String getParameter(String name) {
    return ParameterViews.first(parameters(), name);
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return ParameterViews.names(parameters());
  }

  @Override
  public String[] getParameterValues(String name) {
    return ParameterViews.values(parameters(), name);
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return ParameterViews.asArrays(parameters());
  }

  @Override
  public boolean isAsyncStarted() {
    return false;
  }

  @Override
  public boolean isAsyncSupported() {
    return false;
  }

  @Override
  public AsyncContext getAsyncContext() {
    throw Unsupported.async();
  }

  // ---- what the bridge does not do: loud failures, never silent ones

  @Override
  public AsyncContext startAsync() {
    throw Unsupported.async();
  }

  @Override
  public AsyncContext startAsync(ServletRequest servletRequest, ServletResponse servletResponse) {
    throw Unsupported.async();
  }

  @Override
  public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) {
    throw new UnsupportedOperationException("HTTP upgrade (" + handlerClass.getName() + ") is not supported by "
        + "narwhal-servlet: a worker answers one complete request at a time");
  }

  @Override
  public Collection<Part> getParts() throws ServletException {
    throw new IllegalStateException("multipart/form-data (getParts) is not supported by narwhal-servlet; "
        + "read the body with getInputStream() and a multipart parser");
  }

  @Override
  public Part getPart(String name) throws ServletException {
    return getParts().iterator().next();
  }

  @Override
  public boolean authenticate(HttpServletResponse response) throws ServletException {
    throw new ServletException("container authentication is not supported by narwhal-servlet: authenticate in a filter");
  }

  @Override
  public void login(String username, String password) throws ServletException {
    throw new ServletException("container login is not supported by narwhal-servlet: authenticate in a filter");
  }

  @Override
  public void logout() {
    // nothing to undo: the container never authenticates
  }

  @Override
  public String getAuthType() {
    return null;
  }

  @Override
  public String getRemoteUser() {
    return null;
  }

  @Override
  public boolean isUserInRole(String role) {
    return false;
  }

  @Override
  public Principal getUserPrincipal() {
    return null;
  }

  /** A dispatcher path relative to this request's (no leading /) made context-relative. */
  String resolve(String target) {
    if (target == null || target.startsWith("/")) {
      return target;
    }
    String current = getServletPath() + (getPathInfo() == null ? "" : getPathInfo());
    int slash = current.lastIndexOf('/');
    return (slash < 0 ? "/" : current.substring(0, slash + 1)) + target;
  }

  static HttpServletMapping mapping(UrlMapper.Match match) {
    if (match == null) {
      return new Mapping("", "", "", MappingMatch.DEFAULT);
    }
    return new Mapping(match.matchValue(), match.pattern(), match.servletName(), match.kind());
  }

  private record Mapping(String getMatchValue, String getPattern, String getServletName,
      MappingMatch getMappingMatch) implements HttpServletMapping {}
}
