package dev.narwhal.servlet.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request as the target of a forward, include or error dispatch sees it. A forward or error
 * dispatch changes the paths (the originals stay readable as {@code jakarta.servlet.forward.*}
 * attributes); an include keeps them and exposes the target's as {@code jakarta.servlet.include.*}.
 * Parameters of the dispatcher's query come before the request's own.
 */
final class DispatchedRequest extends HttpServletRequestWrapper {
  private final WebApp app;
  private final DispatcherType type;
  private final String path;
  private final String query;
  private final UrlMapper.Match match;
  private final Map<String, Object> dispatchAttributes = new LinkedHashMap<>();
  private Map<String, List<String>> parameters;

  DispatchedRequest(WebApp app, HttpServletRequest request, DispatcherType type, String path, String query,
      UrlMapper.Match match) {
    super(request);
    this.app = app;
    this.type = type;
    this.path = path;
    this.query = query;
    this.match = match;
    String prefix = type == DispatcherType.INCLUDE ? "jakarta.servlet.include." : "jakarta.servlet.forward.";
    boolean include = type == DispatcherType.INCLUDE;
    if (include || request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) == null) {
      dispatchAttributes.put(prefix + "request_uri", include ? app.contextPath() + path : request.getRequestURI());
      dispatchAttributes.put(prefix + "context_path", app.contextPath());
      dispatchAttributes.put(prefix + "servlet_path", include ? match.servletPath() : request.getServletPath());
      putIfNotNull(prefix + "path_info", include ? match.pathInfo() : request.getPathInfo());
      putIfNotNull(prefix + "query_string", include ? query : request.getQueryString());
      dispatchAttributes.put(prefix + "mapping", include ? RequestBase.mapping(match) : request.getHttpServletMapping());
    }
  }

  private void putIfNotNull(String name, Object value) {
    if (value != null) {
      dispatchAttributes.put(name, value);
    }
  }

  private boolean replacesPaths() {
    return type != DispatcherType.INCLUDE;
  }

  @Override
  public DispatcherType getDispatcherType() {
    return type;
  }

  @Override
  public String getRequestURI() {
    return replacesPaths() ? app.contextPath() + path : super.getRequestURI();
  }

  @Override
  public StringBuffer getRequestURL() {
    if (!replacesPaths()) {
      return super.getRequestURL();
    }
    String original = super.getRequestURL().toString();
    String uri = super.getRequestURI();
    return new StringBuffer(original.substring(0, original.length() - uri.length())).append(getRequestURI());
  }

  @Override
  public String getServletPath() {
    return replacesPaths() ? match.servletPath() : super.getServletPath();
  }

  @Override
  public String getPathInfo() {
    return replacesPaths() ? match.pathInfo() : super.getPathInfo();
  }

  @Override
  public String getQueryString() {
    return replacesPaths() && query != null ? query : super.getQueryString();
  }

  @Override
  public HttpServletMapping getHttpServletMapping() {
    return replacesPaths() ? RequestBase.mapping(match) : super.getHttpServletMapping();
  }

  @Override
  public Object getAttribute(String name) {
    Object mine = dispatchAttributes.get(name);
    return mine != null ? mine : super.getAttribute(name);
  }

  @Override
  public Enumeration<String> getAttributeNames() {
    Set<String> names = new LinkedHashSet<>(dispatchAttributes.keySet());
    names.addAll(Collections.list(super.getAttributeNames()));
    return Collections.enumeration(names);
  }

  @Override
  public RequestDispatcher getRequestDispatcher(String target) {
    if (target != null && !target.startsWith("/")) {
      String current = getServletPath() + (getPathInfo() == null ? "" : getPathInfo());
      target = current.substring(0, current.lastIndexOf('/') + 1) + target;
    }
    return app.dispatcher(target);
  }

  private Map<String, List<String>> parameters() {
    if (parameters == null) {
      Map<String, List<String>> merged = HttpText.parseForm(query, StandardCharsets.UTF_8);
      super.getParameterMap().forEach((k, v) -> merged.computeIfAbsent(k, x -> new ArrayList<>()).addAll(List.of(v)));
      parameters = merged;
    }
    return parameters;
  }

  @Override
  public String getParameter(String name) {
    return ParameterViews.first(parameters(), name);
  }

  @Override
  public Map<String, String[]> getParameterMap() {
    return ParameterViews.asArrays(parameters());
  }

  @Override
  public Enumeration<String> getParameterNames() {
    return ParameterViews.names(parameters());
  }

  @Override
  public String[] getParameterValues(String name) {
    return ParameterViews.values(parameters(), name);
  }
}
