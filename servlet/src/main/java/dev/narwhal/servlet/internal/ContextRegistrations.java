package dev.narwhal.servlet.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dynamic registration half of ServletContext: servlets, filters and listeners added in code. */
abstract class ContextRegistrations implements ServletContext {
  final WebApp app;

  ContextRegistrations(WebApp app) {
    this.app = app;
  }

  @SuppressWarnings("unchecked")
  private <T> Class<? extends T> load(String className, Class<T> type) {
    try {
      Class<?> c = Class.forName(className, false, app.loader());
      if (!type.isAssignableFrom(c)) {
        throw new IllegalArgumentException(className + " is not a " + type.getName());
      }
      return (Class<? extends T>) c;
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("no class " + className + " on the class path", e);
    }
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a servlet or filter needs a name");
    }
  }

  @Override
  public ServletRegistration.Dynamic addServlet(String name, String className) {
    checkName(name);
    return app.addServlet(name, load(className, Servlet.class), null);
  }

  @Override
  public ServletRegistration.Dynamic addServlet(String name, Servlet servlet) {
    checkName(name);
    return app.addServlet(name, servlet.getClass(), servlet);
  }

  @Override
  public ServletRegistration.Dynamic addServlet(String name, Class<? extends Servlet> servletClass) {
    checkName(name);
    return app.addServlet(name, servletClass, null);
  }

  @Override
  public <T extends Servlet> T createServlet(Class<T> c) throws ServletException {
    return instantiate(c);
  }

  @Override
  public ServletRegistration getServletRegistration(String name) {
    return app.servlet(name);
  }

  @Override
  public Map<String, ? extends ServletRegistration> getServletRegistrations() {
    return app.servlets();
  }

  @Override
  public FilterRegistration.Dynamic addFilter(String name, String className) {
    checkName(name);
    return app.addFilter(name, load(className, Filter.class), null);
  }

  @Override
  public FilterRegistration.Dynamic addFilter(String name, Filter filter) {
    checkName(name);
    return app.addFilter(name, filter.getClass(), filter);
  }

  @Override
  public FilterRegistration.Dynamic addFilter(String name, Class<? extends Filter> filterClass) {
    checkName(name);
    return app.addFilter(name, filterClass, null);
  }

  @Override
  public <T extends Filter> T createFilter(Class<T> c) throws ServletException {
    return instantiate(c);
  }

  @Override
  public FilterRegistration getFilterRegistration(String name) {
    return app.filters().stream().filter(f -> f.name.equals(name)).findFirst().orElse(null);
  }

  @Override
  public Map<String, ? extends FilterRegistration> getFilterRegistrations() {
    Map<String, FilterRegistration> all = new LinkedHashMap<>();
    app.filters().forEach(f -> all.put(f.name, f));
    return all;
  }

  @Override
  public void addListener(String className) {
    try {
      addListener(instantiate(load(className, EventListener.class)));
    } catch (ServletException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public <T extends EventListener> void addListener(T listener) {
    app.addListener(listener);
  }

  @Override
  public void addListener(Class<? extends EventListener> listenerClass) {
    try {
      addListener(instantiate(listenerClass));
    } catch (ServletException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public <T extends EventListener> T createListener(Class<T> c) throws ServletException {
    return instantiate(c);
  }

  static <T> T instantiate(Class<T> c) throws ServletException {
    try {
      return c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ServletException("cannot instantiate " + c.getName()
          + " (it needs a public no-argument constructor)", e);
    }
  }
}
