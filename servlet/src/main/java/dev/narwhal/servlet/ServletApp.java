package dev.narwhal.servlet;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;
import dev.narwhal.servlet.internal.WebApp;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.time.Duration;
import java.util.EnumSet;
import java.util.EventListener;

/**
 * A Narwhal {@link Application} that runs one Jakarta Servlet 6.1 web application: servlets,
 * filters and listeners, plus the {@link ServletContainerInitializer}s found with ServiceLoader
 * (how Jersey and Spring bootstrap).
 *
 * <pre>{@code
 * public final class ShopApp extends ServletApp {
 *   public ShopApp() {
 *     super(ServletApp.builder()
 *         .servlet("api", ApiServlet.class, "/api/*").initParam("mode", "fast")
 *         .filter("auth", AuthFilter.class, "/api/*")
 *         .listener(CacheWarmer.class)
 *         .errorPage(404, "/not-found"));
 *   }
 * }
 * }</pre>
 *
 * Run it with {@code bin/narwhal com.example.ShopApp}; a single servlet runs with
 * {@code bin/narwhal servlet:com.example.HelloServlet}, a Jakarta REST application with
 * {@code bin/narwhal jaxrs:com.example.ShopApplication}.
 *
 * <p>Its life follows Narwhal's: each app instance (one per worker, or one under
 * {@code preload-app}) is one web application instance. {@link #onStart()} runs the initializers,
 * {@code contextInitialized}, and {@code init} of every filter and servlet; {@link #onStop()}
 * destroys them when the worker stops, is recycled or reloaded. Sessions are in memory, shared by
 * the app instances of one server process (per node).
 *
 * <p>Not supported, and failing loudly when used: {@code startAsync} and non-blocking I/O, HTTP
 * upgrade, JSP, multipart {@code getParts}, container security. Responses are sent whole when the
 * request is done (the buffer size only decides {@code isCommitted}).
 */
public class ServletApp implements Application {
  private final WebAppSpec spec;
  private volatile WebApp app;

  /** Runs the web application the builder describes. */
  protected ServletApp(Builder builder) {
    this.spec = builder.spec.copy();
    if (spec.loader == null) {
      // a subclass loaded from the user's class path (--classpath) sees the app's classes and
      // resources; Narwhal's own loader would not (Spring then found no controllers: 404 for all)
      spec.loader = getClass().getClassLoader();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A Jakarta REST application (a {@code jakarta.ws.rs.core.Application} such as a Jersey
   * {@code ResourceConfig}) served by Jersey's own {@code ServletContainer} under its
   * {@code @ApplicationPath}; what {@code bin/narwhal jaxrs:CLASS} runs. Jersey must be on the class
   * path ({@code jersey-container-servlet} and {@code jersey-hk2}).
   *
   * <pre>{@code
   * Supplier<Application> app = ServletApp.jaxrs(ShopApplication.class)::build;
   * }</pre>
   */
  public static Builder jaxrs(Class<?> application) {
    return dev.narwhal.servlet.internal.JaxrsAppProvider.builder(application, application.getClassLoader());
  }

  @Override
  public void onStart() throws Exception {
    WebApp web = spec.create();
    web.start(spec.initializers(web));
    this.app = web;
  }

  @Override
  public Response handle(Request request) throws Exception {
    WebApp web = app;
    if (web == null) {
      throw new IllegalStateException("ServletApp.handle before onStart: the web application is not started");
    }
    return web.handle(request);
  }

  @Override
  public void onStop() {
    WebApp web = app;
    app = null;
    if (web != null) {
      web.stop();
    }
  }

  /** The running application's context (null before {@link #onStart()}). */
  public ServletContext servletContext() {
    WebApp web = app;
    return web == null ? null : web.context();
  }

  /**
   * Describes a web application. {@code initParam} and {@code loadOnStartup} apply to the servlet
   * or filter added last. A servlet or filter given as an instance is shared by every app built
   * from this builder (each calls its {@code init}); give a class for one instance per worker.
   */
  public static final class Builder {
    private final WebAppSpec spec = new WebAppSpec();

    private Builder() {}

    /** The web application's name: its ServletContext name and the key of its shared session store. */
    public Builder name(String name) {
      spec.name = name;
      return this;
    }

    /** The context path, {@code ""} (the default) or {@code /name}. */
    public Builder contextPath(String contextPath) {
      if (!contextPath.isEmpty() && (!contextPath.startsWith("/") || contextPath.endsWith("/"))) {
        throw new IllegalArgumentException("a context path is \"\" or starts with / and does not end with /: "
            + contextPath);
      }
      spec.contextPath = contextPath;
      return this;
    }

    public Builder servlet(String name, Servlet servlet, String... urlPatterns) {
      spec.addServlet(name, servlet.getClass(), servlet, urlPatterns);
      return this;
    }

    public Builder servlet(String name, Class<? extends Servlet> servletClass, String... urlPatterns) {
      spec.addServlet(name, servletClass, null, urlPatterns);
      return this;
    }

    /** A filter for REQUEST dispatches to the given URL patterns. */
    public Builder filter(String name, Filter filter, String... urlPatterns) {
      spec.addFilter(name, filter.getClass(), filter, EnumSet.of(DispatcherType.REQUEST), urlPatterns);
      return this;
    }

    public Builder filter(String name, Class<? extends Filter> filterClass, String... urlPatterns) {
      spec.addFilter(name, filterClass, null, EnumSet.of(DispatcherType.REQUEST), urlPatterns);
      return this;
    }

    /** A filter for the given dispatcher types (REQUEST, FORWARD, INCLUDE, ERROR). */
    public Builder filter(String name, Class<? extends Filter> filterClass, EnumSet<DispatcherType> types,
        String... urlPatterns) {
      spec.addFilter(name, filterClass, null, types, urlPatterns);
      return this;
    }

    /** An init parameter of the servlet or filter added last. */
    public Builder initParam(String name, String value) {
      spec.lastInitParams().put(name, value);
      return this;
    }

    /** The load-on-startup order of the servlet added last (all servlets start with the app anyway). */
    public Builder loadOnStartup(int order) {
      spec.lastServlet().loadOnStartup = order;
      return this;
    }

    /** A context init parameter ({@code ServletContext.getInitParameter}). */
    public Builder contextParam(String name, String value) {
      spec.contextParams.put(name, value);
      return this;
    }

    /** A listener instance (ServletContextListener, HttpSessionListener, ...), shared like servlets. */
    public Builder listener(EventListener listener) {
      spec.listeners.add(listener);
      return this;
    }

    /** A listener class, instantiated per app instance. */
    public Builder listener(Class<? extends EventListener> listenerClass) {
      spec.listeners.add(listenerClass);
      return this;
    }

    /** The page (a context-relative path mapped to a servlet) rendered for this status after sendError. */
    public Builder errorPage(int status, String path) {
      spec.statusPages.put(status, path);
      return this;
    }

    /** The page rendered when a request fails with this exception type (or a subtype). */
    public Builder errorPage(Class<? extends Throwable> type, String path) {
      spec.exceptionPages.put(type, path);
      return this;
    }

    /** An initializer to run at start, with the classes it handles. */
    public Builder initializer(ServletContainerInitializer initializer, Class<?>... handledClasses) {
      spec.initializers.add(new WebApp.Initializer(initializer, java.util.Set.of(handledClasses)));
      return this;
    }

    /**
     * Whether to run the ServletContainerInitializers found with ServiceLoader (default true).
     * Their {@code @HandlesTypes} classes are found best-effort among the classes given to this
     * builder and to {@link #scan}: the class path is not scanned.
     */
    public Builder discoverInitializers(boolean discover) {
      spec.discover = discover;
      return this;
    }

    /** Extra classes offered to discovered initializers' {@code @HandlesTypes}. */
    public Builder scan(Class<?>... classes) {
      spec.scanned.addAll(java.util.List.of(classes));
      return this;
    }

    /** Idle time after which a session expires (default 30 minutes). */
    public Builder sessionTimeout(Duration timeout) {
      spec.sessionTimeoutSeconds = (int) timeout.toSeconds();
      return this;
    }

    /** The default request and response character encoding (the spec's default is ISO-8859-1). */
    public Builder characterEncoding(String encoding) {
      spec.encoding = encoding;
      return this;
    }

    /**
     * Where servlet classes, resources and initializers are loaded from, and the requests' context
     * class loader (default: the loader of the app's class: a {@code ServletApp} subclass's own).
     */
    public Builder classLoader(ClassLoader loader) {
      spec.loader = loader;
      return this;
    }

    /** A new app instance; call it once per instance Narwhal asks for, e.g. {@code () -> builder.build()}. */
    public ServletApp build() {
      return new ServletApp(this);
    }
  }
}
