package dev.narwhal.servlet.internal;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Error pages: after {@code sendError}, or an exception out of the filters and servlet, the page
 * for the status or the exception's type runs as an ERROR dispatch with the spec's
 * {@code jakarta.servlet.error.*} attributes. Without a page, sendError sends a plain-text body and
 * an exception goes on to Narwhal, which answers 500 and logs it with the request.
 */
public final class ErrorPages {
  private final WebApp app;
  private final Map<Integer, String> byStatus = new LinkedHashMap<>();
  private final Map<Class<? extends Throwable>, String> byException = new LinkedHashMap<>();

  ErrorPages(WebApp app) {
    this.app = app;
  }

  public void add(int status, String path) {
    byStatus.put(status, requireContextPath(path));
  }

  public void add(Class<? extends Throwable> type, String path) {
    byException.put(type, requireContextPath(path));
  }

  private static String requireContextPath(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("an error page path starts with / (relative to the context): " + path);
    }
    return path;
  }

  void onException(BridgeRequest request, BridgeResponse response, Throwable failure) throws Exception {
    Throwable cause = failure;
    Optional<String> page = pageFor(cause);
    while (page.isEmpty() && cause instanceof ServletException se && se.getRootCause() != null) {
      cause = se.getRootCause();
      page = pageFor(cause);
    }
    if (page.isEmpty()) {
      page = Optional.ofNullable(byStatus.get(500));
    }
    if (page.isEmpty() || response.isCommitted()) {
      if (failure instanceof Exception e) {
        throw e;
      }
      throw (Error) failure;
    }
    app.context().log("request " + request.getMethod() + " " + request.getRequestURI() + " failed; error page "
        + page.get(), failure);
    response.reset();
    response.setStatus(500);
    request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, cause);
    request.setAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE, cause.getClass());
    render(request, response, page.get(), 500, cause.getMessage());
  }

  private Optional<String> pageFor(Throwable t) {
    for (Class<?> c = t.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      String page = byException.get(c);
      if (page != null) {
        return Optional.of(page);
      }
    }
    return Optional.empty();
  }

  void onSendError(BridgeRequest request, BridgeResponse response) throws Exception {
    int status = response.errorStatus();
    String message = response.errorMessage();
    response.reopenForErrorPage();
    String page = byStatus.get(status);
    if (page != null) {
      render(request, response, page, status, message);
    } else {
      plain(response, status, message);
    }
  }

  private void render(BridgeRequest request, BridgeResponse response, String page, int status, String message)
      throws Exception {
    UrlMapper.Match match = app.mapper().match(page).orElse(null);
    if (match == null) {
      plain(response, status, message);
      return;
    }
    request.setAttribute(RequestDispatcher.ERROR_STATUS_CODE, status);
    request.setAttribute(RequestDispatcher.ERROR_MESSAGE, message == null ? "" : message);
    request.setAttribute(RequestDispatcher.ERROR_REQUEST_URI, request.getRequestURI());
    request.setAttribute(RequestDispatcher.ERROR_METHOD, request.getMethod());
    if (request.getQueryString() != null) {
      request.setAttribute(RequestDispatcher.ERROR_QUERY_STRING, request.getQueryString());
    }
    if (request.match != null) {
      request.setAttribute(RequestDispatcher.ERROR_SERVLET_NAME, request.match.servletName());
    }
    DispatchedRequest dispatched = new DispatchedRequest(app, request, DispatcherType.ERROR, page, null, match);
    try {
      app.dispatch(dispatched, response, DispatcherType.ERROR, page, match);
    } catch (Exception e) {
      // a failing error page must not hide the first error: log it, answer plainly
      app.context().log("error page " + page + " failed", e);
      response.reopenForErrorPage();
      plain(response, status, message);
    }
  }

  private static void plain(BridgeResponse response, int status, String message) throws java.io.IOException {
    response.setStatus(status);
    response.setContentType("text/plain;charset=UTF-8");
    String text = message != null && !message.isEmpty() ? message : status + " " + reason(status);
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    response.getOutputStream().write(bytes, 0, bytes.length);
  }

  static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 415 -> "Unsupported Media Type";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
