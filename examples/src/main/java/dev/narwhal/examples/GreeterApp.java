package dev.narwhal.examples;

// #your-app
import dev.narwhal.Application;
import dev.narwhal.Environment;
import dev.narwhal.Request;
import dev.narwhal.Response;

public final class GreeterApp implements Application {
  private String greeting;

  @Override
  public void onStart() { // once per worker, on its thread, before its first request
    greeting = Environment.get("GREETING").orElse("Hello"); // -e GREETING=Hi, or the real env
  }

  @Override
  public Response handle(Request request) { // sync workers: one request at a time each; blocking is fine
    String name = request.queryParam("name").orElse("World");
    return Response.ok(greeting + ", " + name + "!\n");
  }
}
// #your-app
