package dev.narwhal.servlet.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/** forward and include to a path of the same web app, or to a servlet by name (path null). */
final class Dispatcher implements RequestDispatcher {
  private final WebApp app;
  private final String path;
  private final String query;
  private final UrlMapper.Match match;

  Dispatcher(WebApp app, String path, String query, UrlMapper.Match match) {
    this.app = app;
    this.path = path;
    this.query = query;
    this.match = match;
  }

  @Override
  public void forward(ServletRequest request, ServletResponse response) throws ServletException, IOException {
    if (response.isCommitted()) {
      throw new IllegalStateException("forward to " + target() + " after the response was committed");
    }
    response.resetBuffer();
    HttpServletRequest http = (HttpServletRequest) request;
    ServletRequest target = path == null ? request
        : new DispatchedRequest(app, http, DispatcherType.FORWARD, path, query, match);
    app.dispatch(target, response, DispatcherType.FORWARD, path == null ? currentPath(http) : path, match);
    // the spec: once forward returns, the response is complete
    BridgeResponse bridge = unwrap(response);
    if (bridge != null && bridge.errorStatus() == null) {
      bridge.closeOutput();
    }
  }

  @Override
  public void include(ServletRequest request, ServletResponse response) throws ServletException, IOException {
    HttpServletRequest http = (HttpServletRequest) request;
    ServletRequest target = path == null ? request
        : new DispatchedRequest(app, http, DispatcherType.INCLUDE, path, query, match);
    app.dispatch(target, new IncludedResponse((HttpServletResponse) response), DispatcherType.INCLUDE,
        path == null ? currentPath(http) : path, match);
  }

  private String target() {
    return path == null ? "servlet " + match.servletName() : path;
  }

  private static String currentPath(HttpServletRequest request) {
    return request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
  }

  static BridgeResponse unwrap(ServletResponse response) {
    while (response instanceof ServletResponseWrapper w) {
      response = w.getResponse();
    }
    return response instanceof BridgeResponse b ? b : null;
  }

  /** The response as an included servlet gets it: it writes the body, but cannot change status or headers. */
  private static final class IncludedResponse extends HttpServletResponseWrapper {
    IncludedResponse(HttpServletResponse response) {
      super(response);
    }

    @Override public void setStatus(int sc) {}
    @Override public void setHeader(String name, String value) {}
    @Override public void addHeader(String name, String value) {}
    @Override public void setIntHeader(String name, int value) {}
    @Override public void addIntHeader(String name, int value) {}
    @Override public void setDateHeader(String name, long date) {}
    @Override public void addDateHeader(String name, long date) {}
    @Override public void setContentType(String type) {}
    @Override public void setCharacterEncoding(String charset) {}
    @Override public void setContentLength(int len) {}
    @Override public void setContentLengthLong(long len) {}
    @Override public void setLocale(java.util.Locale loc) {}
    @Override public void addCookie(jakarta.servlet.http.Cookie cookie) {}
    @Override public void sendError(int sc) {}
    @Override public void sendError(int sc, String msg) {}
    @Override public void reset() {}
  }
}
