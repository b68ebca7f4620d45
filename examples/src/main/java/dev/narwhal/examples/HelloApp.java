package dev.narwhal.examples;

// #hello
import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;

/**
 * The smallest Narwhal application.
 *
 * <pre>
 * bin/narwhal -w 4 hello
 * curl http://127.0.0.1:8000/        # Hello, World!
 * </pre>
 */
public final class HelloApp implements Application {
  @Override
  public Response handle(Request request) {
    return Response.ok("Hello, World!");
  }
}
// #hello
