package dev.narwhal.servlet.internal;

import jakarta.servlet.Registration;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What servlet and filter registrations share: a name, a class or instance, init parameters. */
abstract class Holder<T> implements Registration.Dynamic {
  final WebApp app;
  final String name;
  final Class<? extends T> type;
  volatile T instance;
  private final Map<String, String> initParams = new LinkedHashMap<>();
  private volatile boolean initialised;

  Holder(WebApp app, String name, Class<? extends T> type, T instance) {
    this.app = app;
    this.name = name;
    this.type = type;
    this.instance = instance;
  }

  /** The instance given, or a new one of the class (through ServletContext.createServlet/createFilter rules). */
  T instance() {
    if (instance == null) {
      try {
        instance = type.getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot instantiate " + type.getName()
            + " (it needs a public no-argument constructor): " + e, e);
      }
    }
    return instance;
  }

  /** Calls the component's own {@code init} with this holder as its config. */
  abstract void init(T component) throws ServletException;

  /** Calls the component's own {@code destroy}. */
  abstract void release(T component);

  /** "servlet" or "filter", for the log. */
  abstract String kind();

  /** Initialises the component once (at app start, or when a dispatch first reaches it). */
  synchronized T initialised() throws ServletException {
    T component = instance();
    if (!initialised) {
      init(component);
      initialised = true;
    }
    return component;
  }

  /** Destroys an initialised component; one that throws is logged, so the others are destroyed too. */
  synchronized void destroy() {
    if (initialised) {
      initialised = false;
      try {
        release(instance);
      } catch (RuntimeException e) {
        app.context().log(kind() + " " + name + " failed in destroy()", e);
      }
    }
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public String getClassName() {
    return type.getName();
  }

  @Override
  public boolean setInitParameter(String key, String value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("init parameter name and value cannot be null");
    }
    app.checkNotStarted("setInitParameter");
    synchronized (initParams) {
      return initParams.putIfAbsent(key, value) == null;
    }
  }

  @Override
  public String getInitParameter(String key) {
    synchronized (initParams) {
      return initParams.get(key);
    }
  }

  @Override
  public Set<String> setInitParameters(Map<String, String> params) {
    Set<String> conflicts = new java.util.HashSet<>();
    params.forEach((k, v) -> {
      if (getInitParameter(k) != null) {
        conflicts.add(k);
      }
    });
    if (conflicts.isEmpty()) {
      params.forEach(this::setInitParameter);
    }
    return conflicts;
  }

  @Override
  public Map<String, String> getInitParameters() {
    synchronized (initParams) {
      return Map.copyOf(initParams);
    }
  }

  /** For ServletConfig/FilterConfig. */
  public Enumeration<String> getInitParameterNames() {
    synchronized (initParams) {
      return Collections.enumeration(java.util.List.copyOf(initParams.keySet()));
    }
  }

  @Override
  public void setAsyncSupported(boolean isAsyncSupported) {
    // recorded nowhere: startAsync fails loudly whatever this says
  }
}
