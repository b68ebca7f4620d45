package dev.narwhal.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.japi.function.Function;
import org.apache.pekko.stream.Materializer;

/**
 * The baseline of bench/hello-ratio: the same Pekko HTTP server Narwhal runs, with the handler
 * answering inline on Pekko's dispatcher (no work queue, no worker actors, no worker threads).
 *
 * <pre>
 * java -jar bench/bare-pekko/target/bare-pekko.jar [HOST] [PORT]      # default 127.0.0.1 8000
 * GET / or /hello  200 text/plain "Hello, World!"
 * GET /sleep10      the same after a non-blocking 10 ms delay
 * GET /cpu1         the same after 1 ms of CPU busy-loop
 * </pre>
 *
 * <p>The 10 ms delay uses {@code CompletableFuture.delayedExecutor}, as Narwhal's BenchApp does
 * under the async worker class, not Pekko's scheduler: that one ticks every 10 ms, so its "10 ms"
 * is 10 to 20 ms and the baseline would be handicapped by its timer, not by its design.
 */
public final class BarePekkoHello {
  /**
   * The Pekko HTTP server settings of framework/src/main/resources/narwhal-pekko.conf, copied so
   * both servers parse and render the same way. Keep in step with that file, except for
   * request-timeout: Narwhal's "off" drops Pekko's timeout stage from every connection, a tuning
   * that the untuned baseline issue 21 measures against does not get ("infinite" keeps the stage).
   */
  private static final String SETTINGS = """
      pekko {
        loglevel = WARNING
        loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
        logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
        coordinated-shutdown.run-by-jvm-shutdown-hook = on
        http.server {
          server-header = "narwhal"
          remote-address-attribute = on
          raw-request-uri-header = on
          transparent-head-requests = off
          request-timeout = infinite
          idle-timeout = 60 s
          max-connections = 16384
          verbose-error-messages = off
          parsing {
            max-uri-length = 8k
            max-method-length = 32
            max-header-name-length = 256
            max-header-value-length = 8190
            max-header-count = 100
            max-content-length = 100m
            max-to-strict-bytes = 100m
            modeled-header-parsing = off
            illegal-header-warnings = off
            error-logging-verbosity = simple
          }
        }
      }
      """;
  /** Narwhal's default {@code backlog}, which it also uses as the listen queue. */
  private static final int BACKLOG = 2048;

  private static final Executor AFTER_10_MS = CompletableFuture.delayedExecutor(10, TimeUnit.MILLISECONDS);

  private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

  private BarePekkoHello() {}

  public static void main(String[] args) {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8000;
    Config config = ConfigFactory.parseString(SETTINGS).withFallback(ConfigFactory.load());
    ActorSystem system = ActorSystem.create("bare-pekko", config);
    Materializer materializer = Materializer.matFromSystem(system);
    Function<HttpRequest, CompletionStage<HttpResponse>> handler = request -> handle(request, materializer);

    Http.get(system)
        .newServerAt(host, port)
        .adaptSettings(settings -> settings.withBacklog(BACKLOG))
        .bind(handler)
        .whenComplete((binding, error) -> {
          if (error != null) {
            System.err.println("bare-pekko: cannot listen at " + host + ":" + port + ": " + error);
            system.terminate();
          } else {
            System.out.println("bare-pekko: listening at http://" + host + ":" + binding.localAddress().getPort());
          }
        });
  }

  private static CompletionStage<HttpResponse> handle(HttpRequest request, Materializer mat) {
    request.discardEntityBytes(mat);
    if (request.method() != HttpMethods.GET) {
      return CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.METHOD_NOT_ALLOWED));
    }
    return switch (request.getUri().path()) {
      case "/", "/hello" -> CompletableFuture.completedFuture(hello());
      case "/sleep10" -> CompletableFuture.supplyAsync(BarePekkoHello::hello, AFTER_10_MS);
      case "/cpu1" -> {
        long end = System.nanoTime() + 1_000_000;
        while (System.nanoTime() < end) {
          Thread.onSpinWait();
        }
        yield CompletableFuture.completedFuture(hello());
      }
      default -> CompletableFuture.completedFuture(HttpResponse.create().withStatus(StatusCodes.NOT_FOUND));
    };
  }

  private static HttpResponse hello() {
    return HttpResponse.create().withEntity(ContentTypes.TEXT_PLAIN_UTF8, HELLO);
  }
}
