package dev.narwhal.servlet.internal;

import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/** A servlet of the web app: its registration, its config, and the instance once initialised. */
final class ServletHolder extends Holder<Servlet> implements ServletRegistration.Dynamic, ServletConfig {
  private int loadOnStartup = -1;
  private String runAsRole;

  ServletHolder(WebApp app, String name, Class<? extends Servlet> type, Servlet instance) {
    super(app, name, type, instance);
  }

  @Override
  void init(Servlet component) throws ServletException {
    component.init(this);
  }

  @Override
  void release(Servlet component) {
    component.destroy();
  }

  @Override
  String kind() {
    return "servlet";
  }

  int loadOnStartup() {
    return loadOnStartup;
  }

  @Override
  public Set<String> addMapping(String... urlPatterns) {
    app.checkNotStarted("addMapping");
    if (urlPatterns == null || urlPatterns.length == 0) {
      throw new IllegalArgumentException("addMapping needs at least one URL pattern");
    }
    Set<String> conflicts = new LinkedHashSet<>();
    for (String pattern : urlPatterns) {
      UrlMapper.validate(pattern);
    }
    for (String pattern : urlPatterns) {
      if (!app.mapper().add(pattern, name)) {
        conflicts.add(pattern);
      }
    }
    return conflicts;
  }

  @Override
  public Collection<String> getMappings() {
    return app.mapper().patternsOf(name);
  }

  @Override
  public String getRunAsRole() {
    return runAsRole;
  }

  @Override
  public void setLoadOnStartup(int loadOnStartup) {
    this.loadOnStartup = loadOnStartup;
  }

  @Override
  public Set<String> setServletSecurity(ServletSecurityElement constraint) {
    throw new UnsupportedOperationException("narwhal-servlet does not enforce servlet security constraints "
        + "(servlet " + name + "): authenticate in a filter instead");
  }

  @Override
  public void setMultipartConfig(MultipartConfigElement multipartConfig) {
    // accepted so frameworks that always set it boot; getParts() still fails loudly
  }

  @Override
  public void setRunAsRole(String roleName) {
    this.runAsRole = roleName;
  }

  @Override
  public String getServletName() {
    return name;
  }

  @Override
  public ServletContext getServletContext() {
    return app.context();
  }
}
