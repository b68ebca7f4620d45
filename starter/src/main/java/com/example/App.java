package com.example;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;

/** Your service: each worker builds one, and handle() runs on that worker's own thread. */
public final class App implements Application {
  @Override
  public Response handle(Request request) {
    return switch (request.path()) {
      case "/" -> Response.ok("Hello from com.example.App\n");
      case "/hello" -> Response.ok("Hello, " + request.queryParam("name").orElse("World") + "!\n");
      default -> Response.text(404, "Not Found\n");
    };
  }
}
