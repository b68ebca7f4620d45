package dev.narwhal.servlet.internal;

import dev.narwhal.Request;
import dev.narwhal.Response;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.MappingMatch;
import jakarta.servlet.Filter;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequestEvent;
import jakarta.servlet.ServletRequestListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EventListener;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One running web application: its servlets, filters and listeners, their lifecycle, and the
 * way a request goes through them. One instance per Narwhal app instance (per worker, or one
 * under preload-app); requests may arrive on several threads at once (gthread, virtual workers).
 */
public final class WebApp {
  /** An initializer and the classes it asked for (@HandlesTypes), found best-effort. */
  public record Initializer(ServletContainerInitializer initializer, Set<Class<?>> classes) {}

  private final String contextPath;
  private final ClassLoader loader;
  private final WebContext context;
  private final UrlMapper mapper = new UrlMapper();
  private final Map<String, ServletHolder> servlets = new LinkedHashMap<>();
  private final List<FilterHolder> filters = new CopyOnWriteArrayList<>();
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final ErrorPages errorPages = new ErrorPages(this);
  private final SessionStore sessions;
  private volatile boolean started;
  /** The context's temporary directory while it runs ({@link ContextTempDir}). */
  private java.nio.file.Path tempDir;

  public WebApp(String name, String contextPath, ClassLoader loader) {
    this.contextPath = contextPath;
    this.loader = loader;
    this.sessions = SessionStore.shared(name);
    this.context = new WebContext(this, name);
  }

  public WebContext context() {
    return context;
  }

  public ErrorPages errorPages() {
    return errorPages;
  }

  public String contextPath() {
    return contextPath;
  }

  ClassLoader loader() {
    return loader;
  }

  UrlMapper mapper() {
    return mapper;
  }

  public SessionStore sessions() {
    return sessions;
  }

  String sessionCookieName() {
    return context.getSessionCookieConfig().getName();
  }

  void checkNotStarted(String what) {
    if (started) {
      throw new IllegalStateException(what + ": the web application has already started");
    }
  }

  // ---- registration

  public synchronized jakarta.servlet.ServletRegistration.Dynamic addServlet(String name, Class<? extends Servlet> type, Servlet instance) {
    checkNotStarted("addServlet");
    if (servlets.containsKey(name)) {
      return null; // the spec's answer for a name already in use
    }
    ServletHolder holder = new ServletHolder(this, name, instance != null ? instance.getClass() : type, instance);
    servlets.put(name, holder);
    return holder;
  }

  public synchronized jakarta.servlet.FilterRegistration.Dynamic addFilter(String name, Class<? extends Filter> type, Filter instance) {
    checkNotStarted("addFilter");
    if (filters.stream().anyMatch(f -> f.name.equals(name))) {
      return null;
    }
    FilterHolder holder = new FilterHolder(this, name, instance != null ? instance.getClass() : type, instance);
    filters.add(holder);
    return holder;
  }

  void addListener(EventListener listener) {
    checkNotStarted("addListener");
    if (!(listener instanceof ServletContextListener || listener instanceof ServletRequestListener
        || listener instanceof HttpSessionListener)) {
      // attribute and session-id listeners are never called: say so rather than ignore it quietly
      context.log("listener " + listener.getClass().getName() + " is never called: narwhal-servlet calls "
          + "ServletContextListener, ServletRequestListener and HttpSessionListener only");
    }
    listeners.add(listener);
  }

  synchronized ServletHolder servlet(String name) {
    return servlets.get(name);
  }

  synchronized Map<String, ServletHolder> servlets() {
    return Map.copyOf(servlets);
  }

  List<FilterHolder> filters() {
    return filters;
  }

  // ---- lifecycle

  /** Runs initializers, then context listeners, then initialises every filter and servlet. */
  public void start(List<Initializer> initializers) throws ServletException {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      tempDir = ContextTempDir.create(context); // before any code of the application's runs
      for (Initializer i : initializers) {
        i.initializer().onStartup(i.classes().isEmpty() ? null : i.classes(), context);
      }
      ServletContextEvent event = new ServletContextEvent(context);
      for (EventListener l : List.copyOf(listeners)) {
        if (l instanceof ServletContextListener scl) {
          scl.contextInitialized(event);
        }
      }
      started = true;
      sessions.onDestroyed(this::sessionDestroyed);
      for (FilterHolder f : filters) {
        f.initialised();
      }
      List<ServletHolder> order = new ArrayList<>(servlets().values());
      // load-on-startup order first (the spec's), then the rest: all at worker start, not first request
      order.sort(Comparator.comparingInt(h -> h.loadOnStartup() < 0 ? Integer.MAX_VALUE : h.loadOnStartup()));
      for (ServletHolder s : order) {
        s.initialised();
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** Destroys servlets, then filters, then tells context listeners, in reverse order. */
  public void stop() {
    List<ServletHolder> all = new ArrayList<>(servlets().values());
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).destroy();
    }
    for (int i = filters.size() - 1; i >= 0; i--) {
      filters.get(i).destroy();
    }
    ServletContextEvent event = new ServletContextEvent(context);
    List<EventListener> ls = List.copyOf(listeners);
    for (int i = ls.size() - 1; i >= 0; i--) {
      if (ls.get(i) instanceof ServletContextListener scl) {
        try {
          scl.contextDestroyed(event);
        } catch (RuntimeException e) {
          context.log("listener " + scl.getClass().getName() + " failed in contextDestroyed", e);
        }
      }
    }
    started = false;
    if (tempDir != null) {
      ContextTempDir.delete(tempDir);
      tempDir = null;
    }
  }

  private void sessionDestroyed(jakarta.servlet.http.HttpSession session) {
    for (EventListener l : listeners) {
      if (l instanceof HttpSessionListener hsl) {
        try {
          hsl.sessionDestroyed(new HttpSessionEvent(session));
        } catch (RuntimeException e) {
          context.log("listener " + hsl.getClass().getName() + " failed in sessionDestroyed", e);
        }
      }
    }
  }

  void sessionCreated(MemorySession session) {
    for (EventListener l : listeners) {
      if (l instanceof HttpSessionListener hsl) {
        hsl.sessionCreated(new HttpSessionEvent(session));
      }
    }
  }

  // ---- requests

  /** One request through the filters and servlet its path maps to, error pages included. */
  public Response handle(Request request) throws Exception {
    BridgeResponse response = new BridgeResponse(this);
    // OPTIONS * (RFC 9112's asterisk-form) is about the server, not a path: it goes to the default
    // servlet, whose HttpServlet.doOptions answers it with Allow, as in Tomcat and Jetty
    boolean asterisk = request.path().equals("*");
    String decoded = asterisk ? "*" : CanonicalPath.of(request.path()).orElse(null);
    if (decoded == null) {
      response.sendError(400, "Ambiguous or invalid request path");
      return response.toNarwhal();
    }
    if (!asterisk && !decoded.equals(contextPath) && !decoded.startsWith(contextPath + "/")) {
      response.sendError(404);
      return response.toNarwhal();
    }
    if (!contextPath.isEmpty() && decoded.equals(contextPath) && redirectsToRoot()) {
      // as Tomcat: the app's root is /ctx/; served at /ctx, a page's relative links would resolve
      // against the site's root. Only where no servlet maps it otherwise (a /* servlet, Jersey's or
      // Spring's, takes /ctx as it is: a redirect would turn a POST into a GET)
      response.setStatus(302);
      response.setHeader("Location", new java.net.URI(null, null, contextPath + "/", null).toASCIIString()
          + (request.query().isEmpty() ? "" : "?" + request.query()));
      return response.toNarwhal();
    }
    String path = asterisk ? "*"
        : decoded.length() == contextPath.length() ? "/" : decoded.substring(contextPath.length());
    UrlMapper.Match match = mapper.match(path).orElse(null);
    BridgeRequest servletRequest = new BridgeRequest(this, request, response, path, match);
    response.request(servletRequest);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    ServletRequestEvent event = new ServletRequestEvent(context, servletRequest);
    List<ServletRequestListener> requestListeners = listeners.stream()
        .filter(l -> l instanceof ServletRequestListener).map(l -> (ServletRequestListener) l).toList();
    try {
      requestListeners.forEach(l -> l.requestInitialized(event));
      try {
        if (match == null) {
          response.sendError(404);
        } else {
          dispatch(servletRequest, response, DispatcherType.REQUEST, path, match);
        }
      } catch (Exception | Error e) {
        errorPages.onException(servletRequest, response, e);
      }
      if (response.errorStatus() != null) {
        errorPages.onSendError(servletRequest, response);
      }
      return response.toNarwhal();
    } finally {
      for (int i = requestListeners.size() - 1; i >= 0; i--) {
        requestListeners.get(i).requestDestroyed(event);
      }
      thread.setContextClassLoader(previous);
    }
  }

  private boolean redirectsToRoot() {
    MappingMatch kind = mapper.match("/").map(UrlMapper.Match::kind).orElse(null);
    return kind == null || kind == MappingMatch.DEFAULT || kind == MappingMatch.CONTEXT_ROOT;
  }

  /** Runs the filters that apply to this dispatch, then the servlet. */
  void dispatch(ServletRequest request, ServletResponse response, DispatcherType type, String path,
      UrlMapper.Match match) throws ServletException, IOException {
    ServletHolder holder = servlet(match.servletName());
    if (holder == null) {
      throw new ServletException("no servlet named " + match.servletName());
    }
    List<Filter> chain = new ArrayList<>();
    for (FilterHolder f : filters) {
      if (f.applies(type, path, match.servletName())) {
        chain.add(f.initialised());
      }
    }
    new Chain(chain, holder.initialised()).doFilter(request, response);
  }

  /** A dispatcher for a context-relative path (may carry a query), or null when none maps. */
  RequestDispatcher dispatcher(String pathAndQuery) {
    if (pathAndQuery == null || !pathAndQuery.startsWith("/")) {
      throw new IllegalArgumentException("a dispatcher path must start with / (relative to the context): "
          + pathAndQuery);
    }
    int q = pathAndQuery.indexOf('?');
    // canonical as a request's path is (CanonicalPath): "/a/../admin" must not map as "/a/*"; none above the root
    String path = CanonicalPath.of(q < 0 ? pathAndQuery : pathAndQuery.substring(0, q)).orElse(null);
    String query = q < 0 ? null : pathAndQuery.substring(q + 1);
    if (path == null) {
      return null;
    }
    return mapper.match(path).map(m -> (RequestDispatcher) new Dispatcher(this, path, query, m)).orElse(null);
  }

  RequestDispatcher namedDispatcher(String name) {
    if (servlet(name) == null) {
      return null;
    }
    return new Dispatcher(this, null, null, new UrlMapper.Match(name, "", null, null, null));
  }
}
