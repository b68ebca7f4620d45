package dev.narwhal.examples.blog;

import dev.narwhal.Request;
import dev.narwhal.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Method + path → handler, in registration order. {@code {id}} in a path matches a positive number
 * that fits a {@code long}; anything else in its place is simply no match, so {@code /posts/abc}
 * is a 404, never a parse error. A path that matches with another method is a 405 with
 * {@code Allow}. HEAD is routed as GET (the server never sends a HEAD response's body).
 */
final class Router {
  /** A handler for a path without parameters. */
  interface Action {
    Response handle(Request request) throws Exception;
  }

  /** A handler for a path with an {@code {id}}. */
  interface IdAction {
    Response handle(Request request, long id) throws Exception;
  }

  private record Route(String method, Pattern path, IdAction action) {}

  private final List<Route> routes = new ArrayList<>();

  Router get(String path, Action action) {
    return add("GET", path, (request, id) -> action.handle(request));
  }

  Router get(String path, IdAction action) {
    return add("GET", path, action);
  }

  Router post(String path, Action action) {
    return add("POST", path, (request, id) -> action.handle(request));
  }

  Router post(String path, IdAction action) {
    return add("POST", path, action);
  }

  Router put(String path, IdAction action) {
    return add("PUT", path, action);
  }

  Router delete(String path, IdAction action) {
    return add("DELETE", path, action);
  }

  private Router add(String method, String path, IdAction action) {
    String regex = Pattern.quote(path).replace("{id}", "\\E([1-9][0-9]{0,17})\\Q");
    routes.add(new Route(method, Pattern.compile(regex), action));
    return this;
  }

  Response dispatch(Request request) throws Exception {
    String method = request.method().equals("HEAD") ? "GET" : request.method();
    List<String> allowed = new ArrayList<>();
    for (Route route : routes) {
      Matcher m = route.path().matcher(request.path());
      if (!m.matches()) {
        continue;
      }
      if (route.method().equals(method)) {
        return route.action().handle(request, m.groupCount() > 0 ? Long.parseLong(m.group(1)) : 0);
      }
      allowed.add(route.method());
    }
    if (allowed.isEmpty()) {
      throw HttpError.notFound("nothing here: " + request.path());
    }
    throw new HttpError(405, request.method() + " is not allowed here; use " + String.join(" or ", allowed),
        Map.of(), Map.of("Allow", String.join(", ", allowed)));
  }
}
