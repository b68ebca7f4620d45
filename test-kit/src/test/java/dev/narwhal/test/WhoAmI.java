package dev.narwhal.test;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;

/** Answers with the worker that served the request, so tests can tell workers apart. */
final class WhoAmI implements Application {
  @Override
  public Response handle(Request request) {
    return Response.ok("hello from " + Thread.currentThread().getName() + " " + request.path());
  }
}
