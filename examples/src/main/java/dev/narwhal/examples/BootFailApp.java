package dev.narwhal.examples;

import dev.narwhal.Application;
import dev.narwhal.Request;
import dev.narwhal.Response;

/**
 * An application that can never start (gunicorn's examples/boot_fail.py): the server retries with
 * backoff, then gives up with exit status 3 instead of restarting workers forever.
 *
 * <pre>
 * bin/narwhal boot-fail; echo $?     # 3
 * </pre>
 */
public final class BootFailApp implements Application {
  @Override
  public void onStart() {
    throw new IllegalStateException("this application always fails to start (the boot-fail example)");
  }

  @Override
  public Response handle(Request request) {
    return Response.ok("unreachable\n");
  }
}
