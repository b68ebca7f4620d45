package dev.narwhal.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.narwhal.Application;
import dev.narwhal.Server;
import dev.narwhal.ServerHooks;
import dev.narwhal.ServerStartException;
import dev.narwhal.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Narwhal server for one application, on 127.0.0.1 and a free port, with an HTTP client
 * aimed at it. As a JUnit 5 extension it starts before the tests and stops after them:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NarwhalServer server = NarwhalServer.of(App::new).workers(2);
 *
 * @Test
 * void greets() throws Exception {
 *   assertThat(server.get("/").body()).isEqualTo("Hello");
 * }
 * }</pre>
 *
 * <p>In a {@code static} field one server serves the whole class; in an instance field each test
 * gets its own. Without JUnit, {@link #start()} and {@link #close()} do the same by hand. Every
 * server has its own ports (the admin API's too), so test classes may run in parallel.
 *
 * <p>Settings are the config file's, by name ({@link #setting}); the server's defaults apply
 * otherwise, except that it binds 127.0.0.1:0, its admin API binds 127.0.0.1:0, a stop waits at
 * most 10 s for requests in flight, and metrics are published every 200 ms (a scrape shows a
 * request within that; poll for it).
 */
public final class NarwhalServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
    AfterEachCallback, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Supplier<? extends Application> app;
  private final Map<String, Object> settings = new LinkedHashMap<>();
  private ServerHooks hooks = ServerHooks.NONE;
  private volatile Server server;
  private volatile HttpClient client;
  private volatile boolean perTest;

  private NarwhalServer(Supplier<? extends Application> app) {
    this.app = app;
    settings.put("bind", "127.0.0.1:0");
    settings.put("admin-bind", "127.0.0.1:0");
    settings.put("graceful-timeout", "10s");
    // Kamon publishes what it counted once per tick: short, so a test sees its requests soon
    settings.put("metrics-tick-interval", "200ms");
  }

  /** A server for {@code app}; each worker (or the preloaded app) gets an instance from it. */
  public static NarwhalServer of(Supplier<? extends Application> app) {
    return new NarwhalServer(app);
  }

  /** A setting by its config-file name, e.g. {@code setting("max-requests", 100)}. */
  public NarwhalServer setting(String key, Object value) {
    settings.put(key, value);
    return this;
  }

  public NarwhalServer workers(int workers) {
    return setting("workers", workers);
  }

  /** {@code sync}, {@code gthread}, {@code virtual}, {@code async} or a worker class name. */
  public NarwhalServer workerClass(String workerClass) {
    return setting("worker-class", workerClass);
  }

  public NarwhalServer threads(int threads) {
    return setting("threads", threads);
  }

  /** How long a request may run before its worker is restarted. */
  public NarwhalServer timeout(Duration timeout) {
    return setting("timeout", timeout);
  }

  public NarwhalServer hooks(ServerHooks hooks) {
    this.hooks = hooks;
    return this;
  }

  /** Starts the server; it serves when this returns. A bad setting throws, naming it. */
  public NarwhalServer start() throws ServerStartException {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    Server started = Server.create(app, ServerConfig.of(settings)).hooks(hooks).start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    server = started;
    return this;
  }

  /** Stops the server at once (requests in flight are cut); idempotent. */
  @Override
  public void close() {
    Server running = server;
    server = null;
    if (running != null) {
      running.stop(Duration.ZERO).toCompletableFuture().join();
      client.close();
    }
  }

  /** The running server, for what this class does not wrap: reload, scale, graceful stop. */
  public Server server() {
    Server running = server;
    if (running == null) {
      throw new IllegalStateException("the server is not running: register this extension, or call start()");
    }
    return running;
  }

  public int port() {
    return server().port();
  }

  /** {@code http://127.0.0.1:PORT}, no trailing slash. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The URI of a path (with its query) on the server: {@code uri("/posts?page=2")}. */
  public URI uri(String pathAndQuery) {
    return URI.create(uri() + pathAndQuery);
  }

  /** An HTTP/1.1 client for this server's tests; {@link #close()} closes it. */
  public HttpClient client() {
    server();
    return client;
  }

  /** A request builder aimed at {@code pathAndQuery}, to add a method, headers and a body. */
  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(REQUEST_TIMEOUT);
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client().send(request, HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).build());
  }

  /** POST with a body of {@code contentType}. */
  public HttpResponse<String> post(String pathAndQuery, String contentType, String body)
      throws IOException, InterruptedException {
    return send(request(pathAndQuery).header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  /** The admin API's {@code /stats}: workers, requests, state (see docs/admin.md). */
  public JsonNode stats() throws IOException, InterruptedException {
    return JSON.readTree(admin("/stats"));
  }

  /** The admin API's {@code /metrics}, with the {@code metrics} setting on (the default). */
  public Metrics metrics() throws IOException, InterruptedException {
    return new Metrics(admin("/metrics"));
  }

  private String admin(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = client().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server().adminPort() + path))
            .timeout(REQUEST_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new UncheckedIOException(new IOException("GET " + path + " on the admin API answered "
          + response.statusCode() + ": " + response.body()));
    }
    return response.body();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** An instance field's server: started per test. A static one is running already. */
  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (server == null) {
      perTest = true;
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      close();
    }
  }
}
