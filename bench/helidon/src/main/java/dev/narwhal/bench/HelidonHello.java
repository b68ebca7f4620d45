package dev.narwhal.bench;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;

/**
 * A peer in bench/run: Helidon SE 4.5's WebServer (virtual threads only: one per connection, which
 * runs its requests), the way a Java user would write a small blocking service on it, with the
 * endpoints of Narwhal's BenchApp and bench/bare-pekko.
 *
 * <pre>
 * java -jar bench/helidon/target/helidon-hello.jar [HOST] [PORT]      # default 127.0.0.1 8000
 * GET / or /hello  200 text/plain "Hello, World!"
 * GET /sleep10      the same after Thread.sleep(10): blocks the (virtual) thread of the request
 * GET /cpu1         the same after 1 ms of CPU busy-loop
 * </pre>
 *
 * <p>Helidon's defaults throughout, except the listen backlog, which is Narwhal's 2048.
 */
public final class HelidonHello {
  private static final int BACKLOG = 2048;
  private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);
  private static final Header TEXT_PLAIN =
      HeaderValues.createCached(HeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");

  private HelidonHello() {}

  public static void main(String[] args) {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8000;
    WebServer server = WebServer.builder()
        .host(host)
        .port(port)
        .backlog(BACKLOG)
        .routing(routing -> routing
            .get("/", HelidonHello::hello)
            .get("/hello", HelidonHello::hello)
            .get("/sleep10", (request, response) -> {
              Thread.sleep(10);
              hello(request, response);
            })
            .get("/cpu1", (request, response) -> {
              long end = System.nanoTime() + 1_000_000;
              while (System.nanoTime() < end) {
                Thread.onSpinWait();
              }
              hello(request, response);
            }))
        .build()
        .start();
    System.out.println("helidon: listening at http://" + host + ":" + server.port());
  }

  private static void hello(ServerRequest request, ServerResponse response) {
    response.status(Status.OK_200).header(TEXT_PLAIN).send(HELLO);
  }
}
