package dev.narwhal.servlet;

import dev.narwhal.servlet.internal.WebApp;
import dev.narwhal.servlet.internal.WebContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.HandlesTypes;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/** What {@link ServletApp.Builder} collected; each app instance creates its web app from it. */
final class WebAppSpec {
  static final class Component {
    final String name;
    final Class<?> type;
    final Object instance;
    final String[] patterns;
    final EnumSet<DispatcherType> types;
    final Map<String, String> initParams = new LinkedHashMap<>();
    final boolean servlet;
    int loadOnStartup = -1;

    Component(String name, Class<?> type, Object instance, String[] patterns, EnumSet<DispatcherType> types,
        boolean servlet) {
      this.name = name;
      this.type = type;
      this.instance = instance;
      this.patterns = patterns.clone();
      this.types = types;
      this.servlet = servlet;
    }
  }

  /**
   * Initializers never run from discovery. Logback's adds a listener that stops the whole logging
   * backend in contextDestroyed: Narwhal owns the backend, and an app instance stops at every
   * worker recycle and reload, after which nothing would be logged.
   */
  static final Set<String> NOT_DISCOVERED = Set.of("ch.qos.logback.classic.servlet.LogbackServletContainerInitializer");

  String name = "servlet-app";
  String contextPath = "";
  String encoding;
  int sessionTimeoutSeconds = 30 * 60;
  boolean discover = true;
  /** null until the app is built: then the loader of the app's own class (see ServletApp's constructor) */
  ClassLoader loader;
  final List<Component> components = new ArrayList<>();
  final Map<String, String> contextParams = new LinkedHashMap<>();
  final List<Object> listeners = new ArrayList<>();
  final Map<Integer, String> statusPages = new LinkedHashMap<>();
  final Map<Class<? extends Throwable>, String> exceptionPages = new LinkedHashMap<>();
  final List<WebApp.Initializer> initializers = new ArrayList<>();
  final List<Class<?>> scanned = new ArrayList<>();

  void addServlet(String name, Class<? extends Servlet> type, Servlet instance, String[] patterns) {
    components.add(new Component(name, type, instance, patterns, null, true));
  }

  void addFilter(String name, Class<? extends Filter> type, Filter instance, EnumSet<DispatcherType> types,
      String[] patterns) {
    components.add(new Component(name, type, instance, patterns, types, false));
  }

  Map<String, String> lastInitParams() {
    if (components.isEmpty()) {
      throw new IllegalStateException("initParam applies to the servlet or filter added last: add one first "
          + "(contextParam sets a context init parameter)");
    }
    return components.get(components.size() - 1).initParams;
  }

  Component lastServlet() {
    if (components.isEmpty() || !components.get(components.size() - 1).servlet) {
      throw new IllegalStateException("loadOnStartup applies to the servlet added last: add one first");
    }
    return components.get(components.size() - 1);
  }

  /** A snapshot, so a builder changed after build() does not change running apps. */
  WebAppSpec copy() {
    WebAppSpec c = new WebAppSpec();
    c.name = name;
    c.contextPath = contextPath;
    c.encoding = encoding;
    c.sessionTimeoutSeconds = sessionTimeoutSeconds;
    c.discover = discover;
    c.loader = loader;
    c.components.addAll(components);
    c.contextParams.putAll(contextParams);
    c.listeners.addAll(listeners);
    c.statusPages.putAll(statusPages);
    c.exceptionPages.putAll(exceptionPages);
    c.initializers.addAll(initializers);
    c.scanned.addAll(scanned);
    return c;
  }

  /** A new, not yet started web app with everything registered through its ServletContext. */
  @SuppressWarnings("unchecked")
  WebApp create() {
    WebApp web = new WebApp(name, contextPath, loader);
    WebContext ctx = web.context();
    contextParams.forEach(ctx::setInitParameter);
    ctx.setSessionTimeout(Math.max(sessionTimeoutSeconds / 60, sessionTimeoutSeconds > 0 ? 1 : 0));
    web.sessions().timeoutSeconds(sessionTimeoutSeconds);
    if (encoding != null) {
      ctx.setRequestCharacterEncoding(encoding);
      ctx.setResponseCharacterEncoding(encoding);
    }
    for (Component c : components) {
      if (c.servlet) {
        ServletRegistration.Dynamic r = c.instance != null ? ctx.addServlet(c.name, (Servlet) c.instance)
            : ctx.addServlet(c.name, (Class<? extends Servlet>) c.type);
        if (r == null) {
          throw new IllegalArgumentException("two servlets are called " + c.name);
        }
        c.initParams.forEach(r::setInitParameter);
        r.setLoadOnStartup(c.loadOnStartup);
        if (c.patterns.length > 0) {
          Set<String> conflicts = r.addMapping(c.patterns);
          if (!conflicts.isEmpty()) {
            throw new IllegalArgumentException("servlet " + c.name + ": patterns already mapped to another servlet: "
                + conflicts);
          }
        }
      } else {
        FilterRegistration.Dynamic r = c.instance != null ? ctx.addFilter(c.name, (Filter) c.instance)
            : ctx.addFilter(c.name, (Class<? extends Filter>) c.type);
        if (r == null) {
          throw new IllegalArgumentException("two filters are called " + c.name);
        }
        c.initParams.forEach(r::setInitParameter);
        r.addMappingForUrlPatterns(c.types, true, c.patterns.length == 0 ? new String[] {"/*"} : c.patterns);
      }
    }
    for (Object l : listeners) {
      if (l instanceof Class<?> type) {
        ctx.addListener((Class<? extends java.util.EventListener>) type);
      } else {
        ctx.addListener((java.util.EventListener) l);
      }
    }
    statusPages.forEach(web.errorPages()::add);
    exceptionPages.forEach(web.errorPages()::add);
    return web;
  }

  /** The builder's initializers, then the ones ServiceLoader finds, each with its classes. */
  List<WebApp.Initializer> initializers(WebApp web) {
    List<WebApp.Initializer> all = new ArrayList<>(initializers);
    if (discover) {
      Set<Class<?>> known = new LinkedHashSet<>(scanned);
      components.forEach(c -> known.add(c.type));
      listeners.forEach(l -> known.add(l instanceof Class<?> c ? c : l.getClass()));
      for (ServletContainerInitializer sci : ServiceLoader.load(ServletContainerInitializer.class, loader)) {
        if (NOT_DISCOVERED.contains(sci.getClass().getName())) {
          continue;
        }
        all.add(new WebApp.Initializer(sci, handled(sci, known)));
      }
    }
    return all;
  }

  /** @HandlesTypes best-effort: the known classes that extend, implement or carry a handled type. */
  @SuppressWarnings("unchecked")
  private static Set<Class<?>> handled(ServletContainerInitializer sci, Set<Class<?>> known) {
    HandlesTypes wanted = sci.getClass().getAnnotation(HandlesTypes.class);
    Set<Class<?>> found = new LinkedHashSet<>();
    if (wanted == null) {
      return found;
    }
    for (Class<?> candidate : known) {
      for (Class<?> type : wanted.value()) {
        boolean matches = type.isAnnotation()
            ? candidate.isAnnotationPresent((Class<? extends Annotation>) type)
            : type.isAssignableFrom(candidate) && candidate != type;
        if (matches) {
          found.add(candidate);
        }
      }
    }
    return found;
  }
}
