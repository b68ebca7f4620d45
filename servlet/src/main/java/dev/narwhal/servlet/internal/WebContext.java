package dev.narwhal.servlet.internal;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.SessionCookieConfig;
import jakarta.servlet.SessionTrackingMode;
import jakarta.servlet.descriptor.JspConfigDescriptor;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ServletContext} of one web app instance. Resources come from the class path (first
 * {@code META-INF/resources/...}, where the spec puts a jar's web resources, then the path itself),
 * since a Narwhal app is a jar, not an exploded WAR.
 */
public final class WebContext extends ContextRegistrations implements ServletContext {
  private static final Map<String, String> MIME = Map.ofEntries(
      Map.entry("html", "text/html"), Map.entry("htm", "text/html"), Map.entry("css", "text/css"),
      Map.entry("js", "text/javascript"), Map.entry("mjs", "text/javascript"), Map.entry("json", "application/json"),
      Map.entry("txt", "text/plain"), Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
      Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("pdf", "application/pdf"),
      Map.entry("wasm", "application/wasm"), Map.entry("csv", "text/csv"), Map.entry("md", "text/markdown"));

  private final String name;
  private final Logger log;
  private final Map<String, String> initParams = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<String, Object> attributes = new ConcurrentHashMap<>();
  private final CookieConfig cookieConfig = new CookieConfig();
  private volatile String requestEncoding;
  private volatile String responseEncoding;

  WebContext(WebApp app, String name) {
    super(app);
    this.name = name;
    this.log = LoggerFactory.getLogger("dev.narwhal.servlet." + name);
  }

  @Override
  public String getContextPath() {
    return app.contextPath();
  }

  @Override
  public ServletContext getContext(String uripath) {
    return uripath != null && uripath.startsWith(getContextPath()) ? this : null;
  }

  @Override public int getMajorVersion() { return 6; }
  @Override public int getMinorVersion() { return 1; }
  @Override public int getEffectiveMajorVersion() { return 6; }
  @Override public int getEffectiveMinorVersion() { return 1; }

  @Override
  public String getMimeType(String file) {
    int dot = file.lastIndexOf('.');
    String known = dot < 0 ? null : MIME.get(file.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
    return known != null ? known : URLConnection.guessContentTypeFromName(file);
  }

  @Override
  public Set<String> getResourcePaths(String path) {
    return null; // a class path cannot be listed portably
  }

  @Override
  public URL getResource(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("a resource path starts with /: " + path);
    }
    URL url = app.loader().getResource("META-INF/resources" + path);
    return url != null ? url : path.length() > 1 ? app.loader().getResource(path.substring(1)) : null;
  }

  @Override
  public InputStream getResourceAsStream(String path) {
    try {
      URL url = getResource(path);
      return url == null ? null : url.openStream();
    } catch (java.io.IOException e) {
      return null;
    }
  }

  @Override
  public RequestDispatcher getRequestDispatcher(String path) {
    return app.dispatcher(path);
  }

  @Override
  public RequestDispatcher getNamedDispatcher(String servletName) {
    return app.namedDispatcher(servletName);
  }

  @Override
  public void log(String msg) {
    log.info(msg);
  }

  @Override
  public void log(String message, Throwable throwable) {
    log.error(message, throwable);
  }

  @Override
  public String getRealPath(String path) {
    return null; // no directory behind the context
  }

  @Override
  public String getServerInfo() {
    return "Narwhal servlet bridge/6.1";
  }

  @Override
  public String getInitParameter(String name) {
    return initParams.get(name);
  }

  @Override
  public java.util.Enumeration<String> getInitParameterNames() {
    synchronized (initParams) {
      return Collections.enumeration(List.copyOf(initParams.keySet()));
    }
  }

  @Override
  public boolean setInitParameter(String name, String value) {
    app.checkNotStarted("setInitParameter");
    return initParams.putIfAbsent(name, value) == null;
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public java.util.Enumeration<String> getAttributeNames() {
    return Collections.enumeration(List.copyOf(attributes.keySet()));
  }

  @Override
  public void setAttribute(String name, Object object) {
    if (object == null) {
      attributes.remove(name);
    } else {
      attributes.put(name, object);
    }
  }

  @Override
  public void removeAttribute(String name) {
    attributes.remove(name);
  }

  @Override
  public String getServletContextName() {
    return name;
  }

  @Override
  public ServletRegistration.Dynamic addJspFile(String servletName, String jspFile) {
    throw new UnsupportedOperationException("JSP (" + jspFile + ") is not supported by narwhal-servlet: "
        + "render views with a template engine (e.g. jte, Thymeleaf) instead");
  }

  @Override
  public JspConfigDescriptor getJspConfigDescriptor() {
    return null;
  }

  @Override
  public SessionCookieConfig getSessionCookieConfig() {
    return cookieConfig;
  }

  @Override
  public void setSessionTrackingModes(Set<SessionTrackingMode> modes) {
    if (!modes.equals(Set.of(SessionTrackingMode.COOKIE))) {
      throw new UnsupportedOperationException("narwhal-servlet tracks sessions by cookie only, not " + modes);
    }
  }

  @Override
  public Set<SessionTrackingMode> getDefaultSessionTrackingModes() {
    return Set.of(SessionTrackingMode.COOKIE);
  }

  @Override
  public Set<SessionTrackingMode> getEffectiveSessionTrackingModes() {
    return Set.of(SessionTrackingMode.COOKIE);
  }

  @Override
  public ClassLoader getClassLoader() {
    return app.loader();
  }

  @Override
  public void declareRoles(String... roleNames) {
    // roles are never checked by the container
  }

  @Override
  public String getVirtualServerName() {
    return "narwhal";
  }

  @Override
  public int getSessionTimeout() {
    return app.sessions().timeoutSeconds() / 60;
  }

  @Override
  public void setSessionTimeout(int minutes) {
    app.sessions().timeoutSeconds(minutes * 60);
  }

  @Override
  public String getRequestCharacterEncoding() {
    return requestEncoding;
  }

  @Override
  public void setRequestCharacterEncoding(String encoding) {
    this.requestEncoding = encoding;
  }

  @Override
  public String getResponseCharacterEncoding() {
    return responseEncoding;
  }

  @Override
  public void setResponseCharacterEncoding(String encoding) {
    this.responseEncoding = encoding;
  }
}
